import { clockChanges } from './clock-changes';
import { compile } from './compile';
import { expand } from './expand';
import { formatInstant } from './iso';
import { parseSchedule } from './parse';
import { resolve } from './resolve';

// Blocks as intervals on the real rule layer and real IANA zones; every expectation is an exact UTC instant.
const at = (iso: string): number => Date.parse(iso);
const daily = (hhmmss: string): string => `DTSTART:20260101T${hhmmss}\nRRULE:FREQ=DAILY`;
function zoneSchedule(zone: string, blocks: Record<string, unknown>[], more: Record<string, unknown> = {}) {
  return parseSchedule({
    version: 1,
    zone,
    blocks: blocks.map((b) => ({ programme: `${String(b.id)}-music`, volume: 50, ...b })),
    ...more,
  });
}
const spans = (s: ReturnType<typeof zoneSchedule>, from: string, to: string): string[] =>
  expand(s, at(from), at(to)).map((i) => `${formatInstant(i.startMs)} ${formatInstant(i.endMs)} ${i.blockId}`);

describe('overnight blocks across DST get the real length their wall clock implies', () => {
  it.each([
    // zone, first night, expected intervals of the two nights around the change
    [
      'Europe/Berlin fall-back (2026-10-25): 22:00-06:00 lasts 9 h',
      'Europe/Berlin',
      '2026-10-24T12:00:00Z',
      ['2026-10-24T20:00:00Z 2026-10-25T05:00:00Z evening', '2026-10-25T21:00:00Z 2026-10-26T05:00:00Z evening'],
    ],
    [
      'Europe/Berlin spring-forward (2026-03-29): 22:00-06:00 lasts 7 h',
      'Europe/Berlin',
      '2026-03-28T12:00:00Z',
      ['2026-03-28T21:00:00Z 2026-03-29T04:00:00Z evening', '2026-03-29T20:00:00Z 2026-03-30T04:00:00Z evening'],
    ],
    [
      'America/New_York fall-back (2026-11-01): 22:00-06:00 lasts 9 h',
      'America/New_York',
      '2026-10-31T12:00:00Z',
      ['2026-11-01T02:00:00Z 2026-11-01T11:00:00Z evening', '2026-11-02T03:00:00Z 2026-11-02T11:00:00Z evening'],
    ],
    [
      'America/New_York spring-forward (2026-03-08): 22:00-06:00 lasts 7 h',
      'America/New_York',
      '2026-03-07T12:00:00Z',
      ['2026-03-08T03:00:00Z 2026-03-08T10:00:00Z evening', '2026-03-09T02:00:00Z 2026-03-09T10:00:00Z evening'],
    ],
    [
      'Australia/Sydney fall-back (2026-04-05, southern autumn): 22:00-06:00 lasts 9 h',
      'Australia/Sydney',
      '2026-04-04T00:00:00Z',
      ['2026-04-04T11:00:00Z 2026-04-04T20:00:00Z evening', '2026-04-05T12:00:00Z 2026-04-05T20:00:00Z evening'],
    ],
    [
      'Australia/Sydney spring-forward (2026-10-04, southern spring): 22:00-06:00 lasts 7 h',
      'Australia/Sydney',
      '2026-10-03T00:00:00Z',
      ['2026-10-03T12:00:00Z 2026-10-03T19:00:00Z evening', '2026-10-04T11:00:00Z 2026-10-04T19:00:00Z evening'],
    ],
  ])('%s', (_name, zone, from, expected) => {
    const s = zoneSchedule(zone, [{ id: 'evening', rule: { rrule: daily('220000') }, end: '06:00' }]);
    expect(spans(s, from, formatInstant(at(from) + 2 * 86_400_000))).toEqual(expected);
  });
});

describe('a block starting in a spring-forward gap', () => {
  const night = (gap: string, rule: Record<string, string>) =>
    zoneSchedule('Europe/Berlin', [{ id: 'night', rule, end: '04:00', gap }]);

  it('Berlin 02:30-04:00 on 2026-03-29 plays 03:00-04:00 CEST under policy clip (RRULE)', () => {
    expect(spans(night('clip', { rrule: daily('023000') }), '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00Z 2026-03-28T03:00:00Z night',
      '2026-03-29T01:00:00Z 2026-03-29T02:00:00Z night',
      '2026-03-30T00:30:00Z 2026-03-30T02:00:00Z night',
    ]);
  });

  it('Berlin 02:30-04:00 on 2026-03-29 does not play under policy skip (RRULE)', () => {
    expect(spans(night('skip', { rrule: daily('023000') }), '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00Z 2026-03-28T03:00:00Z night',
      '2026-03-30T00:30:00Z 2026-03-30T02:00:00Z night',
    ]);
  });

  it('Berlin cron "30 2 * * *" clips the same way (Vixie cron fires at the end of the gap)', () => {
    expect(spans(night('clip', { cron: '30 2 * * *' }), '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      '2026-03-29T01:00:00Z 2026-03-29T02:00:00Z night',
    ]);
    expect(spans(night('skip', { cron: '30 2 * * *' }), '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([]);
  });

  it('Australia/Lord_Howe (30-minute shift, 2026-10-04): 02:00-03:00 is clipped to 02:30-03:00', () => {
    const s = zoneSchedule('Australia/Lord_Howe', [{ id: 'early', rule: { rrule: daily('020000') }, end: '03:00' }]);
    expect(spans(s, '2026-10-03T12:00:00Z', '2026-10-04T12:00:00Z')).toEqual([
      '2026-10-03T15:30:00Z 2026-10-03T16:00:00Z early',
    ]);
  });

  it('resolve inside the clipped hour traces the skipped occurrence under policy skip', () => {
    const r = resolve(night('skip', { rrule: daily('023000') }), at('2026-03-29T01:30:00Z'));
    expect(r.state).toBe('silence');
    expect(r.trace.map((t) => `${t.blockId} ${t.outcome}: ${t.why}`)).toEqual([
      'night gap-skipped: 2026-03-29T02:30 does not exist in Europe/Berlin (clocks jump forward) and the block\'s gap policy is "skip"',
    ]);
  });
});

describe('ambiguous starts take the first occurrence', () => {
  it('Berlin 02:30-04:00 on 2026-10-25 starts at the first 02:30 (CEST) and lasts 2.5 h', () => {
    const s = zoneSchedule('Europe/Berlin', [{ id: 'night', rule: { rrule: daily('023000') }, end: '04:00' }]);
    expect(spans(s, '2026-10-25T00:00:00Z', '2026-10-25T12:00:00Z')).toEqual([
      '2026-10-25T00:30:00Z 2026-10-25T03:00:00Z night',
    ]);
  });

  it('New York 01:30 PT1H on 2026-11-01 is 05:30Z-06:30Z (the first 01:30, EDT)', () => {
    const s = zoneSchedule('America/New_York', [{ id: 'n', rule: { rrule: daily('013000') }, duration: 'PT1H' }]);
    expect(spans(s, '2026-11-01T00:00:00Z', '2026-11-01T12:00:00Z')).toEqual([
      '2026-11-01T05:30:00Z 2026-11-01T06:30:00Z n',
    ]);
  });
});

describe('exceptions on real rules', () => {
  it('Berlin: move the 2026-12-24 22:00 occurrence to 20:00 and cancel 2026-12-31 (keeps the 8 h length)', () => {
    const s = zoneSchedule('Europe/Berlin', [{ id: 'evening', rule: { rrule: daily('220000') }, end: '06:00' }], {
      exceptions: [
        { block: 'evening', occurrence: '2026-12-24T22:00', action: 'move', to: '2026-12-24T20:00' },
        { block: 'evening', occurrence: '2026-12-25T22:00', action: 'cancel' },
      ],
    });
    expect(spans(s, '2026-12-24T12:00:00Z', '2026-12-27T00:00:00Z')).toEqual([
      '2026-12-24T19:00:00Z 2026-12-25T03:00:00Z evening',
      '2026-12-26T21:00:00Z 2026-12-27T00:00:00Z evening',
    ]);
  });
});

describe('clockChanges', () => {
  it('Berlin 2026: the night block clipped in March, the evening block 9 h long in October', () => {
    const s = zoneSchedule('Europe/Berlin', [
      { id: 'evening', rule: { rrule: daily('220000') }, end: '06:00' },
      { id: 'night', rule: { rrule: 'DTSTART:20260329T023000\nRRULE:FREQ=YEARLY;COUNT=1' }, end: '04:00' },
    ]);
    const changes = clockChanges(s, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
    expect(
      changes.map((c) => ({ at: formatInstant(c.atMs), d: c.description, effects: c.effects.map((e) => e.message) })),
    ).toEqual([
      {
        at: '2026-03-29T01:00:00Z',
        d: '2026-03-29 02:00 -> 03:00',
        effects: [
          'block evening 22:00-06:00 starting 2026-03-28 lasts 7h (8h on the wall clock)',
          'block night 02:30 on 2026-03-29 clipped to 03:00-04:00',
        ],
      },
      {
        at: '2026-10-25T01:00:00Z',
        d: '2026-10-25 03:00 -> 02:00',
        effects: ['block evening 22:00-06:00 starting 2026-10-24 lasts 9h (8h on the wall clock)'],
      },
    ]);
  });
});

describe('compile', () => {
  it('a compiled month equals expand, with overrides, a moved and a cancelled occurrence and a clock change', () => {
    const s = zoneSchedule(
      'Europe/Berlin',
      [
        { id: 'day', rule: { rrule: 'DTSTART:20260105T080000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' }, end: '18:00' },
        { id: 'lunch', rule: { cron: '0 12 * * 1-5' }, duration: 'PT90M', priority: 10 },
        { id: 'evening', rule: { rrule: daily('220000') }, end: '06:00' },
      ],
      {
        overrides: [
          { id: 'quiet', from: '2026-03-10', to: '2026-03-12', action: 'modify', volume: 10 },
          { id: 'closed', from: '2026-03-20', to: '2026-03-20', action: 'closed' },
          {
            id: 'event',
            from: '2026-03-25',
            to: '2026-03-25',
            action: 'replace',
            blocks: [{ id: 'party', rule: { cron: '0 15 * * *' }, end: '23:00', programme: 'party', volume: 80 }],
          },
        ],
        exceptions: [
          { block: 'evening', occurrence: '2026-03-03T22:00', action: 'move', to: '2026-03-03T21:00' },
          { block: 'lunch', occurrence: '2026-03-04T12:00', action: 'cancel' },
        ],
      },
    );
    const from = at('2026-03-01T00:00:00Z');
    const to = at('2026-04-01T00:00:00Z');
    const compiled = compile(s, from, to);
    expect(compiled.intervals()).toEqual(expand(s, from, to));
    expect(compiled.at(at('2026-03-25T16:00:00Z'))).toMatchObject({ blockId: 'party', overrideId: 'event' });
    expect(compiled.at(at('2026-03-20T12:00:00Z'))).toBeNull();
    expect(compiled.at(at('2026-03-11T12:00:00Z'))).toMatchObject({ blockId: 'lunch', volume: 10 });
  });
});

describe('bounds: absurd counts get a typed error, never a hang', () => {
  const everyMinute = zoneSchedule('Europe/Berlin', [{ id: 'm', rule: { cron: '* * * * *' }, duration: 'PT1M' }]);

  it('a rule with more than 100,000 occurrences in the window is TOO_MANY_OCCURRENCES', () => {
    expect(() => expand(everyMinute, at('2026-01-01T00:00:00Z'), at('2026-04-11T00:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_OCCURRENCES' }),
    );
  });

  it('a window longer than 400 days or reversed is INVALID_WINDOW', () => {
    expect(() => expand(everyMinute, at('2026-01-01T00:00:00Z'), at('2027-03-01T00:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'INVALID_WINDOW' }),
    );
    expect(() => expand(everyMinute, at('2026-01-02T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'INVALID_WINDOW' }),
    );
  });
});
