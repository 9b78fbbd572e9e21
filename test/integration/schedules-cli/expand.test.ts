import { cli, requireBuiltCli } from './cli';

beforeAll(requireBuiltCli);

const ok = (args: string[], expected: string[]): void => {
  const r = cli(...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(expected.map((l) => `${l}\n`).join(''));
};

describe('roomtone-schedules expand --rule', () => {
  const berlin0230 = 'DTSTART;TZID=Europe/Berlin:20260327T023000\\nRRULE:FREQ=DAILY;COUNT=4';
  const window = ['--from', '2026-03-01T00:00:00Z', '--to', '2026-04-01T00:00:00Z'];

  it('RFC 5545 3.3.10: --gap skip (default) ignores 02:30 on the Berlin spring-forward night, COUNT not spent', () => {
    ok(
      ['expand', '--rule', berlin0230, ...window],
      ['2026-03-27T01:30:00Z', '2026-03-28T01:30:00Z', '2026-03-30T00:30:00Z', '2026-03-31T00:30:00Z'],
    );
  });

  it('--gap shift reads 02:30 with the offset from before the gap (03:30 CEST = 01:30Z)', () => {
    ok(
      ['expand', '--rule', berlin0230, ...window, '--gap', 'shift'],
      ['2026-03-27T01:30:00Z', '2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z'],
    );
  });

  it('real newlines and the two characters \\n separate content lines the same way', () => {
    ok(
      ['expand', '--rule', berlin0230.replace('\\n', '\n'), ...window, '--limit', '2'],
      ['2026-03-27T01:30:00Z', '2026-03-28T01:30:00Z'],
    );
  });

  it('RFC 5545 3.3.5: a DTSTART in the gap is read shifted and is the first instance', () => {
    ok(
      ['expand', '--rule', 'DTSTART;TZID=Europe/Berlin:20260329T023000\\nRRULE:FREQ=DAILY;COUNT=3', ...window],
      ['2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z', '2026-03-31T00:30:00Z'],
    );
  });

  it('New York fall-back: FREQ=HOURLY names the repeated 01:00 once (its first occurrence, EDT)', () => {
    ok(
      [
        'expand',
        '--rule',
        'DTSTART;TZID=America/New_York:20261101T000000\\nRRULE:FREQ=HOURLY;COUNT=4',
        '--from',
        '2026-11-01T00:00:00Z',
        '--to',
        '2026-11-02T00:00:00Z',
      ],
      ['2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z', '2026-11-01T08:00:00Z'],
    );
  });

  it('UTC DTSTART with EXDATE and RDATE; --from/--to with offsets: from is inclusive, to exclusive', () => {
    ok(
      [
        'expand',
        '--rule',
        'DTSTART:20260105T090000Z\\nRRULE:FREQ=DAILY;COUNT=5\\nEXDATE:20260107T090000Z\\nRDATE:20260110T120000Z',
        '--from',
        '2026-01-05T10:00:00+01:00',
        '--to',
        '2026-01-10T13:00:00+01:00',
      ],
      ['2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z', '2026-01-08T09:00:00Z', '2026-01-09T09:00:00Z'],
    );
  });

  it('RDATE adds an instance outside the RRULE pattern', () => {
    ok(
      [
        'expand',
        '--rule',
        'DTSTART:20260105T090000Z\\nRRULE:FREQ=DAILY;COUNT=5\\nEXDATE:20260107T090000Z\\nRDATE:20260110T120000Z',
        '--from',
        '2026-01-09T00:00:00Z',
        '--to',
        '2026-01-11T00:00:00Z',
      ],
      ['2026-01-09T09:00:00Z', '2026-01-10T12:00:00Z'],
    );
  });

  it('an empty window prints nothing and succeeds', () => {
    ok(['expand', '--rule', berlin0230, '--from', '2026-03-27T01:30:00Z', '--to', '2026-03-27T01:30:00Z'], []);
  });
});

describe('roomtone-schedules expand --cron', () => {
  it('Vixie cron: Berlin 02:30 skipped by spring-forward fires once at 03:00 CEST (01:00Z)', () => {
    ok(
      [
        'expand',
        '--cron',
        '30 2 * * *',
        '--tz',
        'Europe/Berlin',
        '--from',
        '2026-03-28T00:00:00Z',
        '--to',
        '2026-03-31T00:00:00Z',
      ],
      ['2026-03-28T01:30:00Z', '2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z'],
    );
  });

  it('Vixie cron: a wildcard hour fires at every elapsed 01:00 in New York, twice on 2026-11-01', () => {
    ok(
      [
        'expand',
        '--cron',
        '0 * * * *',
        '--tz',
        'America/New_York',
        '--from',
        '2026-11-01T04:00:00Z',
        '--to',
        '2026-11-01T08:00:00Z',
      ],
      ['2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z'],
    );
  });

  it('Australia/Lord_Howe (30-minute shift): 02:00 on 2026-10-04 fires at the end of the gap (02:30 = 15:30Z)', () => {
    ok(
      [
        'expand',
        '--cron',
        '0 2 * * *',
        '--tz',
        'Australia/Lord_Howe',
        '--from',
        '2026-10-02T00:00:00Z',
        '--to',
        '2026-10-05T00:00:00Z',
      ],
      ['2026-10-02T15:30:00Z', '2026-10-03T15:30:00Z', '2026-10-04T15:00:00Z'],
    );
  });

  it('Asia/Kolkata (+05:30, no DST) and --limit', () => {
    ok(
      [
        'expand',
        '--cron',
        '0 9 * * *',
        '--tz',
        'Asia/Kolkata',
        '--from',
        '2026-10-01T00:00:00Z',
        '--to',
        '2026-11-01T00:00:00Z',
        '--limit',
        '2',
      ],
      ['2026-10-01T03:30:00Z', '2026-10-02T03:30:00Z'],
    );
  });
});
