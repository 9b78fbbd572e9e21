import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, requireBuiltCli } from './cli';

beforeAll(requireBuiltCli);

const W = ['--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z'];
const rule = 'DTSTART:20260101T090000Z\\nRRULE:FREQ=DAILY';

/** Invalid input: exit status 2, nothing on stdout, exactly one line on stderr. */
function refused(args: string[]): string {
  const r = cli(...args);
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  return r.stderr.trimEnd();
}

describe('roomtone-schedules refuses invalid input with exit 2 and one line on stderr', () => {
  it.each([
    [
      [],
      'roomtone-schedules: missing command: expand, resolve, plan, conflicts, clock-changes or validate (see --help)',
    ],
    [
      ['explode'],
      'roomtone-schedules: unknown command "explode": use expand, resolve, plan, conflicts, clock-changes or validate (see --help)',
    ],
    [
      ['expand', '--rule', rule, ...W, '--bogus', '1'],
      'roomtone-schedules: unknown flag --bogus for expand; it takes --rule, --cron, --tz, --from, --to, --limit, --gap',
    ],
    [['expand', '--rule'], 'roomtone-schedules: --rule needs a value (see expand --help)'],
    [
      ['expand', '--rule', rule, '--from', '--to', '2026-01-02T00:00:00Z'],
      'roomtone-schedules: --from needs a value (see expand --help)',
    ],
    [
      ['expand', '--rule', rule, '--from', '2026-01-01', '--to', '2026-01-02T00:00:00Z'],
      'roomtone-schedules: --from "2026-01-01" is not an ISO 8601 instant: write e.g. 2026-03-29T00:00:00Z or 2026-03-29T01:00:00+01:00',
    ],
    [
      ['expand', '--rule', rule, '--from', '2026-01-01T00:00:00', '--to', '2026-01-02T00:00:00Z'],
      'roomtone-schedules: --from "2026-01-01T00:00:00" is not an ISO 8601 instant: write e.g. 2026-03-29T00:00:00Z or 2026-03-29T01:00:00+01:00',
    ],
    [
      ['expand', '--rule', rule, '--from', '2026-02-30T00:00:00Z', '--to', '2026-03-02T00:00:00Z'],
      'roomtone-schedules: --from "2026-02-30T00:00:00Z" is not an ISO 8601 instant: write e.g. 2026-03-29T00:00:00Z or 2026-03-29T01:00:00+01:00',
    ],
    [
      ['expand', '--rule', rule, '--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z'],
      'roomtone-schedules: --to is before --from: swap them',
    ],
    [['expand', '--rule', rule, ...W, '--gap', 'clip'], 'roomtone-schedules: --gap must be skip or shift, got "clip"'],
    [
      ['expand', '--rule', rule, ...W, '--limit', 'ten'],
      'roomtone-schedules: --limit must be a whole number from 0 to 100000, got "ten"',
    ],
    [
      ['expand', '--rule', rule, '--cron', '* * * * *', ...W],
      'roomtone-schedules: expand takes --rule or --cron, not both',
    ],
    [['expand', ...W], "roomtone-schedules: expand needs --rule '<content lines>' or --cron '<expr>' --tz <zone>"],
    [
      ['expand', '--cron', '0 12 * * *', ...W],
      'roomtone-schedules: expand --cron needs --tz <IANA zone> (e.g. --tz Europe/Berlin)',
    ],
    [
      ['expand', '--cron', '0 12 * * *', '--tz', 'UTC', ...W, '--gap', 'skip'],
      'roomtone-schedules: --gap applies to --rule only: cron follows Vixie cron at clock changes',
    ],
    [
      [
        'expand',
        '--rule',
        'DTSTART:20260101T000000Z\\nRRULE:FREQ=SECONDLY',
        '--from',
        '2026-01-01T00:00:00Z',
        '--to',
        '2027-01-01T00:00:00Z',
      ],
      'roomtone-schedules: the window holds more than 100000 instants; narrow --from/--to or pass --limit to print the first N',
    ],
    [
      ['resolve', '--schedule', '/nonexistent/schedule.json', '--at', '2026-01-01T00:00:00Z'],
      'roomtone-schedules: cannot read schedule file /nonexistent/schedule.json: no such file; pass the path of a schedule JSON file',
    ],
    [
      ['plan', '--schedule', '/tmp', ...W],
      'roomtone-schedules: cannot read schedule file /tmp: it is a directory; pass the path of a schedule JSON file',
    ],
    [
      ['validate', '--rule', rule, '--cron', '* * * * *'],
      "roomtone-schedules: validate needs exactly one of --schedule <file.json>, --rule '<content lines>', --cron '<expr>'",
    ],
  ])('%j', (args, message) => {
    expect(refused(args)).toBe(message);
  });

  it.each([
    [['expand', '--cron', '0 * * * *', '--tz', 'Mars/Olympus', ...W], /Mars\/Olympus/],
    [['expand', '--rule', 'DTSTART;TZID=Mars/Olympus:20260101T090000\\nRRULE:FREQ=DAILY', ...W], /Mars\/Olympus/],
    [['expand', '--rule', 'DTSTART:20260101T000000Z\\nRRULE:FREQ=MONTHLY;BYMONTHDAY=32', ...W], /BYMONTHDAY.*32/],
    [['expand', '--rule', 'RRULE:FREQ=DAILY', ...W], /DTSTART/],
    [['expand', '--cron', '61 * * * *', '--tz', 'UTC', ...W], /minute.*61/],
    [['validate', '--cron', '0 0 31 4 *'], /day-of-month/],
  ])('rule-layer errors: %j', (args, pattern) => {
    expect(refused(args)).toMatch(pattern);
  });

  it('a schedule file that is not JSON, and one with a bad rule, name what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roomtone-cli-'));
    writeFileSync(join(dir, 'broken.json'), '{"version": 1,');
    expect(refused(['validate', '--schedule', join(dir, 'broken.json')])).toMatch(
      /^roomtone-schedules: not valid JSON \(.+\)$/,
    );
    const bad = {
      version: 1,
      zone: 'Europe/Berlin',
      blocks: [
        { id: 'a', rule: { cron: '0 8 * * *' }, end: '12:00', programme: 'p', volume: 50 },
        {
          id: 'b',
          rule: { rrule: 'DTSTART:20260101T080000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=32' },
          end: '12:00',
          programme: 'p',
          volume: 50,
        },
      ],
    };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    expect(refused(['validate', '--schedule', join(dir, 'bad.json')])).toMatch(
      /^roomtone-schedules: blocks\[1\]\.rule\.rrule: .*BYMONTHDAY.*32/,
    );
  });

  it('--help prints usage on stdout and exits 0', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('roomtone-schedules expand --rule');
    expect(cli('expand', '--help').status).toBe(0);
  });
});
