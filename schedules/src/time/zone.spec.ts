import { RuleError } from '../rules/errors';
import { formatUtc } from './civil';
import { assertZone, isValidZone, offsetTransitions, resolveLocal, tzdbVersion, utcToLocal } from './zone';

const at = (iso: string): number => Date.parse(iso);
const wall = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => ({
  year: y,
  month: mo,
  day: d,
  hour: h,
  minute: mi,
  second: s,
});
function transitions(tz: string, year: number): string[] {
  return offsetTransitions(tz, at(`${year}-01-01T00:00:00Z`), at(`${year + 1}-01-01T00:00:00Z`)).map(
    (t) => `${formatUtc(t.atMs)} ${t.offsetBeforeSec / 60}->${t.offsetAfterSec / 60}`,
  );
}

describe('zones', () => {
  it('knows IANA zones and refuses the rest with UNKNOWN_ZONE', () => {
    expect(isValidZone('Europe/Berlin')).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Mars/Olympus')).toBe(false);
    expect(isValidZone('+05:30')).toBe(false);
    expect(isValidZone('')).toBe(false);
    expect(() => assertZone('Europe/Berln')).toThrow(RuleError);
    try {
      assertZone('Europe/Berln');
    } catch (e) {
      expect((e as RuleError).code).toBe('UNKNOWN_ZONE');
      expect((e as RuleError).message).toContain('Europe/Berln');
    }
  });

  it('reports the tz database version of the runtime', () => {
    expect(tzdbVersion()).toMatch(/^\d{4}[a-z]$/);
  });
});

describe('offset transitions, 2026', () => {
  it.each([
    ['Europe/Berlin', ['2026-03-29T01:00:00Z 60->120', '2026-10-25T01:00:00Z 120->60']],
    ['America/New_York', ['2026-03-08T07:00:00Z -300->-240', '2026-11-01T06:00:00Z -240->-300']],
    ['Australia/Lord_Howe', ['2026-04-04T15:00:00Z 660->630', '2026-10-03T15:30:00Z 630->660']],
    ['Asia/Kolkata', []],
    ['Pacific/Auckland', ['2026-04-04T14:00:00Z 780->720', '2026-09-26T14:00:00Z 720->780']],
    ['America/Santiago', ['2026-04-05T03:00:00Z -180->-240', '2026-09-06T04:00:00Z -240->-180']],
    ['UTC', []],
  ])('%s', (tz, expected) => {
    expect(transitions(tz, 2026)).toEqual(expected);
  });

  it('Pacific/Apia skipped 2011-12-30 entirely (a 24-hour gap)', () => {
    expect(transitions('Pacific/Apia', 2011)).toEqual([
      '2011-04-02T14:00:00Z -600->-660',
      '2011-09-24T14:00:00Z -660->-600',
      '2011-12-30T10:00:00Z -600->840',
    ]);
    expect(resolveLocal(wall(2011, 12, 30, 12, 0), 'Pacific/Apia')).toEqual({
      kind: 'gap',
      transitionMs: at('2011-12-30T10:00:00Z'),
      shiftedMs: at('2011-12-30T22:00:00Z'),
    });
  });

  it('finds transitions across a year boundary window', () => {
    const list = offsetTransitions('Europe/Berlin', at('2025-10-01T00:00:00Z'), at('2026-04-01T00:00:00Z'));
    expect(list.map((t) => formatUtc(t.atMs))).toEqual(['2025-10-26T01:00:00Z', '2026-03-29T01:00:00Z']);
  });
});

describe('utcToLocal', () => {
  it('Berlin: the repeated hour reads 02:30 twice', () => {
    expect(utcToLocal(at('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toEqual(wall(2026, 10, 25, 2, 30));
    expect(utcToLocal(at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toEqual(wall(2026, 10, 25, 2, 30));
  });
  it('Kolkata: +05:30 all year', () => {
    expect(utcToLocal(at('2026-03-29T20:00:00Z'), 'Asia/Kolkata')).toEqual(wall(2026, 3, 30, 1, 30));
  });
  it('Lord Howe: +10:30 / +11 with a 30-minute shift', () => {
    expect(utcToLocal(at('2026-10-03T15:29:59Z'), 'Australia/Lord_Howe')).toEqual(wall(2026, 10, 4, 1, 59, 59));
    expect(utcToLocal(at('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe')).toEqual(wall(2026, 10, 4, 2, 30));
  });
});

describe('resolveLocal', () => {
  it.each([
    // zone, wall time, expected
    [
      'Europe/Berlin',
      wall(2026, 3, 29, 2, 30),
      { kind: 'gap', transitionMs: at('2026-03-29T01:00:00Z'), shiftedMs: at('2026-03-29T01:30:00Z') },
    ],
    [
      'Europe/Berlin',
      wall(2026, 10, 25, 2, 30),
      { kind: 'ambiguous', earlierMs: at('2026-10-25T00:30:00Z'), laterMs: at('2026-10-25T01:30:00Z') },
    ],
    ['Europe/Berlin', wall(2026, 3, 29, 3, 0), { kind: 'unique', utcMs: at('2026-03-29T01:00:00Z') }],
    ['Europe/Berlin', wall(2026, 3, 29, 1, 59, 59), { kind: 'unique', utcMs: at('2026-03-29T00:59:59Z') }],
    [
      'America/New_York',
      wall(2026, 3, 8, 2, 15),
      { kind: 'gap', transitionMs: at('2026-03-08T07:00:00Z'), shiftedMs: at('2026-03-08T07:15:00Z') },
    ],
    [
      'America/New_York',
      wall(2026, 11, 1, 1, 15),
      { kind: 'ambiguous', earlierMs: at('2026-11-01T05:15:00Z'), laterMs: at('2026-11-01T06:15:00Z') },
    ],
    [
      'Australia/Lord_Howe',
      wall(2026, 10, 4, 2, 15),
      { kind: 'gap', transitionMs: at('2026-10-03T15:30:00Z'), shiftedMs: at('2026-10-03T15:45:00Z') },
    ],
    [
      'Australia/Lord_Howe',
      wall(2026, 4, 5, 1, 45),
      { kind: 'ambiguous', earlierMs: at('2026-04-04T14:45:00Z'), laterMs: at('2026-04-04T15:15:00Z') },
    ],
    ['Australia/Lord_Howe', wall(2026, 4, 5, 2, 0), { kind: 'unique', utcMs: at('2026-04-04T15:30:00Z') }],
    ['Asia/Kolkata', wall(2026, 3, 29, 2, 30), { kind: 'unique', utcMs: at('2026-03-28T21:00:00Z') }],
    [
      'Pacific/Auckland',
      wall(2026, 9, 27, 2, 30),
      { kind: 'gap', transitionMs: at('2026-09-26T14:00:00Z'), shiftedMs: at('2026-09-26T14:30:00Z') },
    ],
    [
      'Pacific/Auckland',
      wall(2026, 4, 5, 2, 30),
      { kind: 'ambiguous', earlierMs: at('2026-04-04T13:30:00Z'), laterMs: at('2026-04-04T14:30:00Z') },
    ],
    [
      'America/Santiago',
      wall(2026, 9, 6, 0, 0),
      { kind: 'gap', transitionMs: at('2026-09-06T04:00:00Z'), shiftedMs: at('2026-09-06T04:00:00Z') },
    ],
    [
      'America/Santiago',
      wall(2026, 4, 4, 23, 30),
      { kind: 'ambiguous', earlierMs: at('2026-04-05T02:30:00Z'), laterMs: at('2026-04-05T03:30:00Z') },
    ],
  ])('%s %o', (tz, local, expected) => {
    expect(resolveLocal(local, tz)).toEqual(expected);
  });
});
