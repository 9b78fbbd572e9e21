import { fakeDeps } from './__fixtures__/fake-deps';
import type { ScheduleDeps } from './binding';
import { cachedDeps } from './cached-deps';
import { compile } from './compile';
import { defaultDeps } from './default-deps';
import { expand } from './expand';
import { formatInstant } from './iso';
import type { Schedule } from './model';
import { parseSchedule } from './parse';

// `compile` takes a columnar path when no override touches the window and the schedule has no exceptions; `expand`
// always walks the timeline of instance objects. These tests hold the two to the same answer, interval for interval.
const at = (iso: string): number => Date.parse(iso);
const show = (s: Schedule, from: number, to: number): string[] =>
  compile(s, from, to)
    .intervals()
    .map((i) => `${formatInstant(i.startMs)} ${formatInstant(i.endMs)} ${i.blockId} ${i.occurrence}`);

function sameAsExpand(s: Schedule, from: string, to: string): void {
  const compiled = compile(s, at(from), at(to));
  expect(compiled.intervals()).toEqual(expand(s, at(from), at(to)));
}

/** mulberry32: the same pseudo-random schedules on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('compiled weeks without overrides or exceptions equal expand (fake Berlin-like zone)', () => {
  const schedule = (blocks: Record<string, unknown>[], deps: ScheduleDeps = fakeDeps) =>
    parseSchedule(
      {
        version: 1,
        zone: 'Fake/Berlin',
        blocks: blocks.map((b) => ({ programme: `${String(b.id)}-music`, volume: 50, ...b })),
      },
      deps,
    );

  it('gap-clipped and gap-skipped starts, overnight blocks across both clock changes', () => {
    const s = schedule([
      { id: 'night', rule: { rrule: 'DAILY 22:00' }, end: '06:00' },
      { id: 'clip', rule: { rrule: 'DAILY 02:30' }, end: '04:00', priority: 2 },
      { id: 'skip', rule: { rrule: 'DAILY 02:15' }, duration: 'PT30M', priority: 3, gap: 'skip' },
      { id: 'early', rule: { rrule: 'DAILY 01:30' }, duration: 'PT2H', priority: 1 },
    ]);
    sameAsExpand(s, '2026-03-26T00:00:00Z', '2026-04-02T00:00:00Z');
    sameAsExpand(s, '2026-10-22T00:00:00Z', '2026-10-29T00:00:00Z');
    expect(show(s, at('2026-03-28T23:00:00Z'), at('2026-03-29T03:00:00Z'))).toEqual([
      '2026-03-28T23:00:00Z 2026-03-29T00:30:00Z night 2026-03-28T22:00',
      '2026-03-29T00:30:00Z 2026-03-29T01:00:00Z early 2026-03-29T01:30',
      '2026-03-29T01:00:00Z 2026-03-29T02:00:00Z clip 2026-03-29T02:30',
      '2026-03-29T02:00:00Z 2026-03-29T02:30:00Z early 2026-03-29T01:30',
      '2026-03-29T02:30:00Z 2026-03-29T03:00:00Z night 2026-03-28T22:00',
    ]);
  });

  it('occurrences clipped to the transition: PT1H from a nonexistent 02:00 ends there and does not play', () => {
    const s = schedule([
      { id: 'both', rule: { rrule: 'AT 2026-03-29T02:00,2026-03-29T02:30' }, duration: 'PT1H' },
      { id: 'same', rule: { rrule: 'AT 2026-03-29T03:00' }, duration: 'PT1H' },
    ]);
    sameAsExpand(s, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z');
    expect(show(s, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toEqual([
      '2026-03-29T01:00:00Z 2026-03-29T01:30:00Z both 2026-03-29T02:30',
      '2026-03-29T01:30:00Z 2026-03-29T02:00:00Z same 2026-03-29T03:00',
    ]);
  });

  it('equal priority and equal start: the block listed first wins; a later start takes over', () => {
    const s = schedule([
      { id: 'a', rule: { rrule: 'DAILY 10:00' }, duration: 'PT2H' },
      { id: 'b', rule: { rrule: 'DAILY 10:00' }, duration: 'PT3H' },
      { id: 'c', rule: { rrule: 'DAILY 11:00' }, duration: 'PT30M' },
    ]);
    sameAsExpand(s, '2026-06-01T00:00:00Z', '2026-06-03T00:00:00Z');
    expect(show(s, at('2026-06-01T00:00:00Z'), at('2026-06-02T00:00:00Z'))).toEqual([
      '2026-06-01T08:00:00Z 2026-06-01T09:00:00Z a 2026-06-01T10:00',
      '2026-06-01T09:00:00Z 2026-06-01T09:30:00Z c 2026-06-01T11:00',
      '2026-06-01T09:30:00Z 2026-06-01T10:00:00Z a 2026-06-01T10:00',
      '2026-06-01T10:00:00Z 2026-06-01T11:00:00Z b 2026-06-01T10:00',
    ]);
  });

  it('200 seeded random schedules agree with expand, with and without the shared cache', () => {
    const random = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const times = ['00:00', '01:30', '02:00', '02:30', '02:59', '06:00', '09:15', '12:00', '21:45', '23:30'];
    const windows = [
      ['2026-03-25T00:00:00Z', '2026-04-01T00:00:00Z'],
      ['2026-10-22T00:00:00Z', '2026-10-29T00:00:00Z'],
      ['2026-03-29T01:30:00Z', '2026-03-29T05:00:00Z'],
    ];
    const shared = cachedDeps(fakeDeps);
    for (let k = 0; k < 200; k++) {
      const blocks = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => ({
        id: `b${i}`,
        rule: { rrule: `DAILY ${pick(times)}` },
        ...(random() < 0.5 ? { end: pick(times) } : { duration: pick(['PT15M', 'PT1H', 'PT3H', 'P1D', 'P1DT2H']) }),
        priority: Math.floor(random() * 3),
        gap: pick(['clip', 'skip']),
      }));
      const [from, to] = pick(windows);
      sameAsExpand(schedule(blocks), from, to);
      const s = schedule(blocks, shared);
      expect(compile(s, at(from), at(to)).intervals()).toEqual(expand(schedule(blocks), at(from), at(to)));
    }
  });
});

describe('compiled weeks without overrides or exceptions equal expand (real rule layer and zones)', () => {
  const doc = (zone: string) => ({
    version: 1,
    zone,
    blocks: [
      {
        id: 'day',
        rule: { rrule: 'DTSTART:20260105T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA' },
        end: '18:00',
      },
      { id: 'night', rule: { cron: '0 22 * * *' }, end: '03:30', priority: 1 },
      { id: 'jingle', rule: { cron: '*/20 * * * *' }, duration: 'PT5M', priority: 2, gap: 'skip' },
      { id: 'early', rule: { rrule: 'DTSTART:20260105T023000\nRRULE:FREQ=DAILY' }, duration: 'PT1H30M', priority: 3 },
    ].map((b) => ({ programme: `${b.id}-music`, volume: 40, ...b })),
  });

  it.each([
    ['Europe/Berlin', '2026-03-26T00:00:00Z', '2026-04-02T00:00:00Z'],
    ['Europe/Berlin', '2026-10-22T00:00:00Z', '2026-10-29T00:00:00Z'],
    ['Australia/Sydney', '2026-04-01T00:00:00Z', '2026-04-08T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-01T00:00:00Z', '2026-10-08T00:00:00Z'],
    ['Asia/Kolkata', '2026-03-26T00:00:00Z', '2026-04-02T00:00:00Z'],
  ])('%s %s..%s, independent and with the shared rule cache', (zone, from, to) => {
    const s = parseSchedule(doc(zone));
    sameAsExpand(s, from, to);
    const shared = cachedDeps(defaultDeps);
    const first = parseSchedule(doc(zone), shared);
    const second = parseSchedule(doc(zone), shared);
    const expected = expand(s, at(from), at(to));
    expect(compile(first, at(from), at(to)).intervals()).toEqual(expected);
    expect(compile(second, at(from), at(to)).intervals()).toEqual(expected);
  });
});
