/**
 * Property tests of the zone tables against Intl itself (the oracle the tables are built from, queried directly,
 * instant by instant): seeded random instants 1900-2100 in zones with unusual rules: 45-minute offsets, negative
 * DST (Dublin), two changes a month apart (Casablanca around Ramadan), a skipped day (Apia), 30-minute DST (Lord
 * Howe), 2-hour DST (Troll).
 */
import { formatUtc } from './civil';
import { offsetTransitions, resolveLocal, utcToLocal } from './zone';

const ZONES = [
  'Europe/Berlin',
  'Europe/Dublin',
  'America/New_York',
  'America/St_Johns',
  'America/Santiago',
  'America/Sao_Paulo',
  'Africa/Casablanca',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Australia/Eucla',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Pacific/Kiritimati',
  'Antarctica/Troll',
  'UTC',
];

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

const formatters = new Map<string, Intl.DateTimeFormat>();
function intlLocal(ms: number, tz: string) {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

describe('zone tables agree with Intl', () => {
  const rnd = prng(5545);
  const from = Date.parse('1900-01-01T00:00:00Z');
  const to = Date.parse('2100-01-01T00:00:00Z');
  const samples: Array<[string, number]> = [];
  for (let i = 0; i < 3000; i++) {
    const tz = ZONES[Math.floor(rnd() * ZONES.length)];
    samples.push([tz, Math.floor((from + rnd() * (to - from)) / 1000) * 1000]);
  }

  it('utcToLocal matches Intl at random instants', () => {
    const wrong = samples.filter(
      ([tz, ms]) => JSON.stringify(utcToLocal(ms, tz)) !== JSON.stringify(intlLocal(ms, tz)),
    );
    expect(wrong.map(([tz, ms]) => `${tz} ${formatUtc(ms)}`)).toEqual([]);
  });

  it('resolveLocal(utcToLocal(t)) gives t back (unique, or one of the two readings of a repeated time)', () => {
    const wrong = samples.filter(([tz, ms]) => {
      const r = resolveLocal(utcToLocal(ms, tz), tz);
      if (r.kind === 'unique') return r.utcMs !== ms;
      if (r.kind === 'ambiguous') return r.earlierMs !== ms && r.laterMs !== ms;
      return true;
    });
    expect(wrong.map(([tz, ms]) => `${tz} ${formatUtc(ms)}`)).toEqual([]);
  });

  it('every forward jump 1990-2030 is a gap exactly where Intl skips wall times', () => {
    const key = (l: ReturnType<typeof intlLocal>) => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    let gaps = 0;
    for (const tz of ZONES) {
      for (const t of offsetTransitions(tz, Date.parse('1990-01-01T00:00:00Z'), Date.parse('2030-01-01T00:00:00Z'))) {
        if (t.offsetAfterSec <= t.offsetBeforeSec) continue;
        gaps++;
        const before = key(intlLocal(t.atMs - 1000, tz)) + 1000; // the first wall time that is skipped
        const after = key(intlLocal(t.atMs, tz)); // the wall time the clock jumps to
        expect(after - before).toBe((t.offsetAfterSec - t.offsetBeforeSec) * 1000);
        const mid = new Date(before + Math.floor((after - before) / 2000) * 1000);
        const probe = {
          year: mid.getUTCFullYear(),
          month: mid.getUTCMonth() + 1,
          day: mid.getUTCDate(),
          hour: mid.getUTCHours(),
          minute: mid.getUTCMinutes(),
          second: mid.getUTCSeconds(),
        };
        expect(resolveLocal(probe, tz)).toEqual({
          kind: 'gap',
          transitionMs: t.atMs,
          shiftedMs: mid.getTime() - t.offsetBeforeSec * 1000,
        });
      }
    }
    expect(gaps).toBeGreaterThan(300);
  });
});
