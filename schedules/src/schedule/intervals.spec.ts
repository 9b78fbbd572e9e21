import { fakeDeps } from './__fixtures__/fake-deps';
import { clockChanges } from './clock-changes';
import { compile } from './compile';
import { conflicts } from './conflicts';
import { expand } from './expand';
import { formatInstant } from './iso';
import { nextChange } from './next-change';
import { parseSchedule } from './parse';
import { resolve } from './resolve';

// These tests pin the interval logic with a fake Berlin-like zone and fake rules (see __fixtures__/fake-deps.ts);
// schedule.berlin.spec.ts checks the same rules on the real rule layer and real IANA zones.
jest.mock('./default-deps', () => ({ defaultDeps: jest.requireActual('./__fixtures__/fake-deps').fakeDeps }));

const at = (iso: string): number => Date.parse(iso);
const block = (id: string, rule: string, extra: Record<string, unknown>) => ({
  id,
  rule: { rrule: rule },
  programme: `${id}-music`,
  volume: 50,
  ...extra,
});
const schedule = (blocks: unknown[], more: Record<string, unknown> = {}) =>
  parseSchedule({ version: 1, zone: 'Fake/Berlin', blocks, ...more }, fakeDeps);
const spans = (s: ReturnType<typeof schedule>, from: string, to: string) =>
  expand(s, at(from), at(to)).map((i) => `${formatInstant(i.startMs)} ${formatInstant(i.endMs)} ${i.blockId}`);

describe('blocks are intervals across clock changes', () => {
  it('overnight 22:00-06:00 across fall-back lasts 9 h', () => {
    const s = schedule([block('evening', 'AT 2026-10-24T22:00', { end: '06:00' })]);
    expect(spans(s, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
      '2026-10-24T20:00:00Z 2026-10-25T05:00:00Z evening',
    ]);
  });

  it('overnight 22:00-06:00 across spring-forward lasts 7 h', () => {
    const s = schedule([block('evening', 'AT 2026-03-28T22:00', { end: '06:00' })]);
    expect(spans(s, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      '2026-03-28T21:00:00Z 2026-03-29T04:00:00Z evening',
    ]);
  });

  it('02:30-04:00 on the spring-forward night is clipped to 03:00-04:00 (policy clip)', () => {
    const s = schedule([block('night', 'AT 2026-03-29T02:30', { end: '04:00' })]);
    expect(spans(s, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      '2026-03-29T01:00:00Z 2026-03-29T02:00:00Z night',
    ]);
  });

  it('02:30 PT1H30M is clipped the same way: the duration counts from the nominal start', () => {
    const s = schedule([block('night', 'AT 2026-03-29T02:30', { duration: 'PT1H30M' })]);
    expect(spans(s, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      '2026-03-29T01:00:00Z 2026-03-29T02:00:00Z night',
    ]);
  });

  it('02:30-04:00 on the spring-forward night does not play at all under policy skip', () => {
    const s = schedule([block('night', 'AT 2026-03-29T02:30', { end: '04:00', gap: 'skip' })]);
    expect(spans(s, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([]);
  });

  it('an ambiguous start takes the first 02:30; the end 04:00 is after the repeated hour', () => {
    const s = schedule([block('night', 'AT 2026-10-25T02:30', { end: '04:00' })]);
    expect(spans(s, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
      '2026-10-25T00:30:00Z 2026-10-25T03:00:00Z night',
    ]);
  });

  it('an end inside the gap ends the block at the transition', () => {
    const s = schedule([block('late', 'AT 2026-03-29T01:00', { end: '02:30' })]);
    expect(spans(s, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      '2026-03-29T00:00:00Z 2026-03-29T01:00:00Z late',
    ]);
  });

  it('P1D is a calendar day: 23 h long over the spring-forward day', () => {
    const s = schedule([block('day', 'AT 2026-03-29T00:00', { duration: 'P1D' })]);
    expect(spans(s, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-28T23:00:00Z 2026-03-29T22:00:00Z day',
    ]);
  });
});

describe('layers', () => {
  const base = [
    block('day', 'DAILY 09:00', { end: '17:00' }),
    block('lunch', 'DAILY 12:00', { end: '13:00', priority: 5, volume: 70 }),
  ];

  it('higher priority wins and the lower block resumes after it', () => {
    expect(spans(schedule(base), '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).toEqual([
      '2026-06-01T07:00:00Z 2026-06-01T10:00:00Z day',
      '2026-06-01T10:00:00Z 2026-06-01T11:00:00Z lunch',
      '2026-06-01T11:00:00Z 2026-06-01T15:00:00Z day',
    ]);
  });

  it('a closed override silences whole local days; a modify override changes programme and volume', () => {
    const s = schedule(base, {
      overrides: [
        { id: 'holiday', from: '2026-06-01', to: '2026-06-01', action: 'closed' },
        { id: 'quiet', from: '2026-06-02', to: '2026-06-02', action: 'modify', volume: 20, appliesTo: ['day'] },
      ],
    });
    const plan = expand(s, at('2026-06-01T00:00:00Z'), at('2026-06-03T00:00:00Z'));
    expect(plan.map((i) => `${formatInstant(i.startMs)} ${i.blockId} ${i.volume} ${i.overrideId ?? '-'}`)).toEqual([
      '2026-06-02T07:00:00Z day 20 quiet',
      '2026-06-02T10:00:00Z lunch 70 -',
      '2026-06-02T11:00:00Z day 20 quiet',
    ]);
  });

  it('a replace override swaps the base layer for its own blocks on its days', () => {
    const s = schedule(base, {
      overrides: [
        {
          id: 'sale',
          from: '2026-06-01',
          to: '2026-06-01',
          action: 'replace',
          blocks: [block('sale', 'DAILY 10:00', { end: '20:00' })],
        },
      ],
    });
    expect(spans(s, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).toEqual([
      '2026-06-01T08:00:00Z 2026-06-01T18:00:00Z sale',
    ]);
  });

  it('exceptions cancel one occurrence and move another', () => {
    const s = schedule(base, {
      exceptions: [
        { block: 'lunch', occurrence: '2026-06-01T12:00', action: 'cancel' },
        { block: 'lunch', occurrence: '2026-06-02T12:00', action: 'move', to: '2026-06-02T14:00' },
      ],
    });
    expect(spans(s, '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z')).toEqual([
      '2026-06-01T07:00:00Z 2026-06-01T15:00:00Z day',
      '2026-06-02T07:00:00Z 2026-06-02T12:00:00Z day',
      '2026-06-02T12:00:00Z 2026-06-02T13:00:00Z lunch',
      '2026-06-02T13:00:00Z 2026-06-02T15:00:00Z day',
    ]);
  });

  it('same-priority overlaps are conflicts; the occurrence that started last plays', () => {
    const s = schedule([block('a', 'DAILY 09:00', { end: '12:00' }), block('b', 'DAILY 11:00', { end: '13:00' })]);
    expect(spans(s, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z')).toEqual([
      '2026-06-01T07:00:00Z 2026-06-01T09:00:00Z a',
      '2026-06-01T09:00:00Z 2026-06-01T11:00:00Z b',
    ]);
    expect(conflicts(s, at('2026-06-01T00:00:00Z'), at('2026-06-02T00:00:00Z'))).toEqual([
      {
        startMs: at('2026-06-01T09:00:00Z'),
        endMs: at('2026-06-01T10:00:00Z'),
        priority: 0,
        blocks: [
          { blockId: 'a', occurrence: '2026-06-01T09:00' },
          { blockId: 'b', occurrence: '2026-06-01T11:00' },
        ],
      },
    ]);
  });
});

describe('resolve, nextChange, compile, clockChanges', () => {
  const s = schedule(
    [
      block('day', 'DAILY 09:00', { end: '17:00' }),
      block('lunch', 'DAILY 12:00', { end: '13:00', priority: 5, start: { mode: 'soft', maxLatenessSeconds: 90 } }),
    ],
    { exceptions: [{ block: 'lunch', occurrence: '2026-06-02T12:00', action: 'cancel' }] },
  );

  it('resolve explains the winner and the loser', () => {
    const r = resolve(s, at('2026-06-01T10:30:00Z'));
    expect(r.state).toBe('playing');
    expect(r.playing).toMatchObject({ blockId: 'lunch', start: { mode: 'soft', maxLatenessSec: 90 } });
    expect(r.trace.map((t) => `${t.blockId} ${t.outcome}: ${t.why}`)).toEqual([
      'lunch won: highest priority (5)',
      'day lost: priority 0 is lower than "lunch" (5)',
    ]);
  });

  it('resolve shows a cancelled occurrence in the trace', () => {
    const r = resolve(s, at('2026-06-02T10:30:00Z'));
    expect(r.playing?.blockId).toBe('day');
    expect(r.trace.map((t) => `${t.blockId} ${t.outcome}`)).toEqual(['day won', 'lunch cancelled']);
  });

  it('nextChange finds the next boundary of what plays', () => {
    const c = nextChange(s, at('2026-06-01T08:00:00Z'));
    expect(c && formatInstant(c.atMs)).toBe('2026-06-01T10:00:00Z');
    expect(c?.to?.blockId).toBe('lunch');
  });

  it('a compiled week resolves by binary search to the same answers as expand', () => {
    const c = compile(s, at('2026-06-01T00:00:00Z'), at('2026-06-08T00:00:00Z'));
    expect(c.intervals()).toEqual(expand(s, at('2026-06-01T00:00:00Z'), at('2026-06-08T00:00:00Z')));
    expect(c.intervalAt(at('2026-06-01T10:30:00Z'))).toMatchObject({
      startMs: at('2026-06-01T10:00:00Z'),
      endMs: at('2026-06-01T11:00:00Z'),
      occurrence: '2026-06-01T12:00',
    });
    expect(c.at(at('2026-06-01T10:30:00Z'))?.blockId).toBe('lunch');
    expect(c.at(at('2026-06-01T06:59:59Z'))).toBeNull();
    expect(c.at(at('2026-06-01T07:00:00Z'))?.blockId).toBe('day');
    expect(() => c.at(at('2026-06-08T00:00:00Z'))).toThrow(/outside the compiled window/);
  });

  it('clockChanges describes overnight lengths and clipped starts', () => {
    const t = schedule([
      block('evening', 'AT 2026-10-24T22:00', { end: '06:00' }),
      block('night', 'AT 2026-03-29T02:30', { end: '04:00' }),
    ]);
    const changes = clockChanges(t, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
    expect(changes.map((c) => [c.description, c.effects.map((e) => e.message)])).toEqual([
      ['2026-03-29 02:00 -> 03:00', ['block night 02:30 on 2026-03-29 clipped to 03:00-04:00']],
      ['2026-10-25 03:00 -> 02:00', ['block evening 22:00-06:00 starting 2026-10-24 lasts 9h (8h on the wall clock)']],
    ]);
  });
});
