import type { LocalDateTime, LocalResolution, Occurrence, OffsetTransition } from '../../rules/types';
import type { ScheduleDeps, ZoneOps } from '../binding';
import { localAsUtcMs, localFromUtcFields } from '../iso';

const H = 3_600_000;

/**
 * Fake zones with a Berlin-like offset history (+1 h in winter, +2 h from 2026-03-29T01:00Z to 2026-10-25T01:00Z),
 * so interval logic can be tested without the rule layer.
 */
const TRANSITIONS: OffsetTransition[] = [
  { atMs: Date.UTC(2026, 2, 29, 1), offsetBeforeSec: 3600, offsetAfterSec: 7200 },
  { atMs: Date.UTC(2026, 9, 25, 1), offsetBeforeSec: 7200, offsetAfterSec: 3600 },
];

function offsetAt(ms: number): number {
  let off = TRANSITIONS[0].offsetBeforeSec * 1000;
  for (const t of TRANSITIONS) if (ms >= t.atMs) off = t.offsetAfterSec * 1000;
  return off;
}

export const fakeZone: ZoneOps = {
  utcToLocal: (ms) => localFromUtcFields(ms + offsetAt(ms)),
  resolveLocal(local: LocalDateTime): LocalResolution {
    const wall = localAsUtcMs(local);
    const hits = [1 * H, 2 * H].map((off) => wall - off).filter((u) => offsetAt(u) === wall - u);
    hits.sort((a, b) => a - b);
    if (hits.length === 1) return { kind: 'unique', utcMs: hits[0] };
    if (hits.length === 2) return { kind: 'ambiguous', earlierMs: hits[0], laterMs: hits[1] };
    const t = TRANSITIONS.find((x) => x.atMs > wall - 3 * H && x.atMs < wall)!;
    return { kind: 'gap', transitionMs: t.atMs, shiftedMs: wall - t.offsetBeforeSec * 1000 };
  },
  transitions: (fromMs, toMs) => TRANSITIONS.filter((t) => t.atMs >= fromMs && t.atMs < toMs),
};

/**
 * Fake rules: `DAILY HH:MM` fires every day at that wall-clock time (a gap reports the transition with `inGap`,
 * a repeated time its first reading); `AT <local>,<local>...` fires at the listed wall-clock times.
 */
function fakeExpand(text: string, fromMs: number, toMs: number, limit: number): Occurrence[] {
  const locals: LocalDateTime[] = [];
  const daily = /^DAILY (\d\d):(\d\d)$/.exec(text);
  if (daily) {
    const first = localFromUtcFields(fromMs - 2 * 86_400_000);
    for (let d = 0; d < Math.ceil((toMs - fromMs) / 86_400_000) + 4; d++) {
      const day = localFromUtcFields(Date.UTC(first.year, first.month - 1, first.day + d));
      locals.push({ ...day, hour: Number(daily[1]), minute: Number(daily[2]), second: 0 });
    }
  } else if (text.startsWith('AT ')) {
    for (const part of text.slice(3).split(',')) {
      const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)$/.exec(part)!;
      locals.push({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: 0 });
    }
  } else throw new Error(`fake rule "${text}" is not DAILY HH:MM or AT <times>`);
  const out: Occurrence[] = [];
  for (const local of locals) {
    const r = fakeZone.resolveLocal(local);
    const startMs = r.kind === 'unique' ? r.utcMs : r.kind === 'ambiguous' ? r.earlierMs : r.transitionMs;
    if (startMs >= fromMs && startMs < toMs) out.push({ startMs, local, inGap: r.kind === 'gap' });
  }
  return out.sort((a, b) => a.startMs - b.startMs).slice(0, limit);
}

export const fakeDeps: ScheduleDeps = {
  isValidZone: (zone) => zone === 'Fake/Berlin',
  bindRule(spec) {
    const text = 'rrule' in spec ? spec.rrule : spec.cron;
    if (text.includes('BAD')) throw new Error('BYMONTHDAY value 32 is out of range (1-31 or -31..-1)');
    return { text, kind: 'rrule' in spec ? 'rrule' : 'cron', expand: (f, t, limit) => fakeExpand(text, f, t, limit) };
  },
  zoneOps: () => fakeZone,
  maxOccurrences: 1000,
};
