import type { Resolution } from '@roomtone/schedules';
import { cli, fixture, requireBuiltCli } from './cli';

beforeAll(requireBuiltCli);

const cafe = fixture('berlin-cafe.json');

describe('roomtone-schedules on a schedule file (Berlin café: dayparts, lunch, overnight, night service)', () => {
  it('validate --schedule summarises a valid schedule', () => {
    const r = cli('validate', '--schedule', cafe);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual(['valid: schedule in Europe/Berlin with 4 block(s), 2 override(s), 2 exception(s)']);
  });

  it('plan --json across spring-forward: the 22:00-06:00 block lasts 7 h, night service (skip) vanishes on 2026-03-29', () => {
    const r = cli(
      'plan',
      '--schedule',
      cafe,
      '--from',
      '2026-03-28T12:00:00Z',
      '--to',
      '2026-03-30T12:00:00Z',
      '--json',
    );
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as { startMs: number; endMs: number; blockId: string; programme: string }[];
    expect(plan.map((i) => [new Date(i.startMs).toISOString(), new Date(i.endMs).toISOString(), i.blockId])).toEqual([
      ['2026-03-28T21:00:00.000Z', '2026-03-29T04:00:00.000Z', 'evening'],
      ['2026-03-29T20:00:00.000Z', '2026-03-30T00:30:00.000Z', 'evening'],
      ['2026-03-30T00:30:00.000Z', '2026-03-30T02:00:00.000Z', 'night-service'],
      ['2026-03-30T02:00:00.000Z', '2026-03-30T04:00:00.000Z', 'evening'],
      ['2026-03-30T06:00:00.000Z', '2026-03-30T10:00:00.000Z', 'weekday-day'],
      ['2026-03-30T10:00:00.000Z', '2026-03-30T11:30:00.000Z', 'lunch'],
      ['2026-03-30T11:30:00.000Z', '2026-03-30T12:00:00.000Z', 'weekday-day'],
    ]);
  });

  it('plan (text) on Christmas: the moved evening ends at the closed days; nothing plays 2026-12-25..26', () => {
    const r = cli('plan', '--schedule', cafe, '--from', '2026-12-24T18:00:00Z', '--to', '2026-12-27T02:00:00Z');
    expect(r.status).toBe(0);
    expect(r.lines.map((l) => l.split('  ').slice(0, 2).join(' '))).toEqual([
      '# plan for Europe/Berlin from 2026-12-24T18:00:00Z to 2026-12-27T02:00:00Z: 3 interval(s); gaps are silence',
      '2026-12-24T19:00:00Z 2026-12-24T23:00:00Z block=evening',
      '2026-12-26T23:00:00Z 2026-12-27T01:30:00Z block=evening',
      '2026-12-27T01:30:00Z 2026-12-27T02:00:00Z block=night-service',
    ]);
    expect(r.lines[1]).toContain('moved-from=2026-12-24T22:00');
  });

  it('resolve explains a gap-skipped occurrence (why is the night service not playing?)', () => {
    const r = cli('resolve', '--schedule', cafe, '--at', '2026-03-29T01:30:00Z');
    expect(r.status).toBe(0);
    expect(r.lines[0]).toBe('at 2026-03-29T01:30:00Z (Europe/Berlin): playing');
    expect(r.lines).toContain(
      'why: Block "evening" plays programme "late-jazz" at volume 35: the only occurrence in force.',
    );
    expect(r.lines.at(-1)).toBe(
      '  gap-skipped night-service (base, priority 5, occurrence 2026-03-29T02:30, 2026-03-29T01:00:00Z..2026-03-29T02:00:00Z): ' +
        '2026-03-29T02:30 does not exist in Europe/Berlin (clocks jump forward) and the block\'s gap policy is "skip"',
    );
  });

  it('resolve --json: an override changes the programme, an exception cancels lunch, priority beats the daypart', () => {
    const friday = JSON.parse(
      cli('resolve', '--schedule', cafe, '--at', '2026-11-27T11:30:00Z', '--json').stdout,
    ) as Resolution;
    expect(friday.playing).toMatchObject({
      blockId: 'weekday-day',
      programme: 'sale-energy',
      volume: 70,
      overrideId: 'black-friday',
    });
    expect(friday.trace.map((t) => `${t.blockId} ${t.outcome}`)).toEqual(['weekday-day won', 'lunch cancelled']);
    const thursday = JSON.parse(
      cli('resolve', '--schedule', cafe, '--at', '2026-11-26T11:30:00Z', '--json').stdout,
    ) as Resolution;
    expect(thursday.playing).toMatchObject({
      blockId: 'lunch',
      programme: 'upbeat-lunch',
      start: { mode: 'soft', maxLatenessSec: 120 },
    });
    expect(thursday.trace.map((t) => t.why)).toEqual([
      'highest priority (10)',
      'priority 0 is lower than "lunch" (10)',
    ]);
  });

  it('resolve on a closed day says so', () => {
    const r = cli('resolve', '--schedule', cafe, '--at', '2026-12-25T12:00:00Z');
    expect(r.status).toBe(0);
    expect(r.lines.slice(0, 2)).toEqual([
      'at 2026-12-25T12:00:00Z (Europe/Berlin): closed',
      'why: Closed: override "christmas" closes the zone on 2026-12-25..2026-12-26.',
    ]);
  });

  it('clock-changes lists what each 2026 change does to each block', () => {
    const r = cli(
      'clock-changes',
      '--schedule',
      cafe,
      '--from',
      '2026-01-01T00:00:00Z',
      '--to',
      '2027-01-01T00:00:00Z',
    );
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      '2026-03-29T01:00:00Z Europe/Berlin 2026-03-29 02:00 -> 03:00 (forward)',
      '  block evening 22:00-06:00 starting 2026-03-28 lasts 7h (8h on the wall clock)',
      '  block night-service 02:30 on 2026-03-29 does not play: 02:30 does not exist and its gap policy is skip',
      '2026-10-25T01:00:00Z Europe/Berlin 2026-10-25 03:00 -> 02:00 (back)',
      '  block evening 22:00-06:00 starting 2026-10-24 lasts 9h (8h on the wall clock)',
      '  block night-service 02:30 on 2026-10-25 starts at the first 02:30, before the clocks go back',
    ]);
  });

  it('conflicts: none in the café week', () => {
    const r = cli('conflicts', '--schedule', cafe, '--from', '2026-03-23T00:00:00Z', '--to', '2026-03-30T00:00:00Z');
    expect(r.lines).toEqual(['no conflicts']);
  });
});
