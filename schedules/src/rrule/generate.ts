/**
 * The RRULE generator: walks the rule's periods (years, months, weeks, days, hours, minutes, seconds) in floating
 * local time, builds each period's candidate set from the BYxxx tables, applies BYSETPOS, and maps every candidate to
 * an instant with the gap policy. Candidates come out in ascending local time. Work is bounded: see WORK_LIMIT.
 */
import { RuleError } from '../rules/errors';
import type { RRuleGapMode } from '../rules/types';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  MS_PER_SECOND,
  weekdayOfDays,
} from '../time/civil';
import { GAP, MAX_YEAR, resolved, resolveInZone, zoneHandle } from '../time/zone';
import { dayMatches, type Compiled } from './compile';

/** Periods plus candidates one call may examine before it gives up with TOO_EXPENSIVE. */
export const WORK_LIMIT = 5_000_000;

/** Floating local time past which nothing is generated (the zone tables stop at year 9999). */
export const LOCAL_MAX_MS = (daysFromCivil(MAX_YEAR, 12, 30) - 1) * MS_PER_DAY;

/** Receives each instance the rule produces (after COUNT/UNTIL/gap policy, before EXDATE); false stops. */
export type Sink = (localMs: number, startMs: number, inGap: boolean) => boolean;

export interface GenerateWindow {
  /** Skip whole periods that end before this floating local time (only when the rule has no COUNT). */
  fromLocal: number;
  /** Stop at periods that start after this floating local time. */
  toLocal: number;
  gap: RRuleGapMode;
}

const scratch = { year: 0, month: 0, day: 0 };

function tooExpensive(): never {
  throw new RuleError(
    'TOO_EXPENSIVE',
    `expanding this rule needs more than ${WORK_LIMIT} steps: narrow the window, move DTSTART closer or drop COUNT`,
    { part: 'RRULE' },
  );
}

/** Runs the generator for the pattern instances after DTSTART (DTSTART itself is the caller's, and counts as one). */
export function generate(c: Compiled, win: GenerateWindow, sink: Sink): void {
  const r = c.r;
  const rule = c.rule;
  const dtLocal = rule.dtstartLocalMs;
  const zone = zoneHandle(rule.tz);
  const count = r.count;
  let emitted = 1; // DTSTART
  if (count !== null && emitted >= count) return;
  const untilLocal = r.untilLocalMs;
  const untilUtc = r.untilUtcMs;
  // UNTIL as an instant still ends the walk: no wall time more than a day past it can map before it.
  let toLocal = Math.min(win.toLocal, LOCAL_MAX_MS);
  if (untilLocal !== null) toLocal = Math.min(toLocal, untilLocal);
  if (untilUtc !== null) toLocal = Math.min(toLocal, untilUtc + MS_PER_DAY);
  const fromLocal = count === null ? win.fromLocal : -Infinity;
  const gapMode = win.gap;
  const dateOnly = rule.dateOnly;
  let work = 0;
  let stopped = false;

  /** Maps one candidate; returns false to stop everything. */
  const take = (local: number): boolean => {
    if (local <= dtLocal) return true;
    if (local > toLocal) return false;
    const kind = resolveInZone(zone, local);
    let start: number;
    let inGap = false;
    if (kind === GAP) {
      inGap = true;
      if (dateOnly) start = resolved.a;
      else if (gapMode === 'skip')
        return true; // RFC 5545 3.3.10: ignored, and not counted
      else start = gapMode === 'shift' ? resolved.b : resolved.a;
    } else {
      // Unique, or the first occurrence of a repeated wall time (RFC 5545 3.3.5).
      start = resolved.a;
    }
    if (untilUtc !== null && start > untilUtc) return true;
    if (!sink(local, start, inGap)) return false;
    emitted++;
    return count === null || emitted < count;
  };

  const buf: number[] = [];
  // The Gregorian calendar repeats every 400 years (146097 days, 20871 weeks): a rule that produced no candidate for
  // that many consecutive periods never will, so the walk ends instead of running to the year 9999.
  let curK = 0;
  let lastHitK: number;
  const flush = (): boolean => {
    work += buf.length;
    if (work > WORK_LIMIT) tooExpensive();
    if (buf.length > 0) lastHitK = curK;
    const setPos = r.bySetPos;
    if (setPos.length > 0 && buf.length > 0) {
      const n = buf.length;
      const picked: number[] = [];
      for (const p of setPos) {
        const i = p > 0 ? p - 1 : n + p;
        if (i >= 0 && i < n) picked.push(buf[i]);
      }
      picked.sort((a, b) => a - b);
      let prev = NaN;
      for (const v of picked) {
        if (v === prev) continue;
        prev = v;
        if (!take(v)) return false;
      }
      return true;
    }
    for (let i = 0; i < buf.length; i++) if (!take(buf[i])) return false;
    return true;
  };

  const addDay = (days: number): void => {
    if (!dayMatches(c, days)) return;
    const base = days * MS_PER_DAY;
    const times = c.times;
    for (let i = 0; i < times.length; i++) buf.push(base + times[i]);
  };

  const interval = c.interval;
  const dt = rule.dtstart;
  switch (c.freq) {
    case 'YEARLY': {
      const y0 = dt.year;
      const fromYear = fromLocal === -Infinity ? y0 : civilFromDays(Math.floor(fromLocal / MS_PER_DAY), scratch).year;
      let k = Math.max(0, Math.floor((fromYear - y0) / interval));
      lastHitK = k;
      for (; !stopped && k - lastHitK <= 400; k++) {
        curK = k;
        const y = y0 + k * interval;
        const first = daysFromCivil(y, 1, 1);
        if (first * MS_PER_DAY > toLocal || y > MAX_YEAR) break;
        buf.length = 0;
        for (let m = 1; m <= 12; m++) {
          if (c.monthMask !== null && c.monthMask[m] !== 1) continue;
          const start = daysFromCivil(y, m, 1);
          const end = start + daysInMonth(y, m);
          for (let d = start; d < end; d++) addDay(d);
          work += end - start;
        }
        stopped = !flush();
      }
      break;
    }
    case 'MONTHLY': {
      const m0 = dt.year * 12 + dt.month - 1;
      let k = 0;
      if (fromLocal !== -Infinity) {
        const f = civilFromDays(Math.floor(fromLocal / MS_PER_DAY), scratch);
        k = Math.max(0, Math.floor((f.year * 12 + f.month - 1 - m0) / interval));
      }
      lastHitK = k;
      for (; !stopped && k - lastHitK <= 4800; k++) {
        curK = k;
        const mi = m0 + k * interval;
        const y = Math.floor(mi / 12);
        const m = (mi % 12) + 1;
        const start = daysFromCivil(y, m, 1);
        if (start * MS_PER_DAY > toLocal || y > MAX_YEAR) break;
        work++;
        if (work > WORK_LIMIT) tooExpensive();
        if (c.monthMask !== null && c.monthMask[m] !== 1) continue;
        buf.length = 0;
        const end = start + daysInMonth(y, m);
        for (let d = start; d < end; d++) addDay(d);
        work += end - start;
        stopped = !flush();
      }
      break;
    }
    case 'WEEKLY':
    case 'DAILY': {
      const span = c.freq === 'WEEKLY' ? 7 : 1;
      const day0 = c.freq === 'WEEKLY' ? c.dtDay - ((weekdayOfDays(c.dtDay) - r.wkst + 7) % 7) : c.dtDay;
      const step = span * interval;
      let k = fromLocal === -Infinity ? 0 : Math.max(0, Math.floor((Math.floor(fromLocal / MS_PER_DAY) - day0) / step));
      lastHitK = k;
      const cycle = c.freq === 'WEEKLY' ? 20871 : 146097;
      for (; !stopped && k - lastHitK <= cycle; k++) {
        curK = k;
        const start = day0 + k * step;
        if (start * MS_PER_DAY > toLocal) break;
        work++;
        buf.length = 0;
        for (let d = start; d < start + span; d++) addDay(d);
        stopped = !flush();
      }
      break;
    }
    case 'HOURLY':
    case 'MINUTELY':
    case 'SECONDLY':
      subDaily(c, fromLocal, toLocal, buf, flush, (n) => {
        work += n;
        if (work > WORK_LIMIT) tooExpensive();
      });
      break;
  }
}

const ALL_HOURS = Array.from({ length: 24 }, (_, i) => i);
const ALL_SIXTY = Array.from({ length: 60 }, (_, i) => i);

function listOf(mask: Uint8Array | null, all: number[]): number[] {
  return mask === null ? all : all.filter((v) => mask[v] === 1);
}

/**
 * HOURLY, MINUTELY and SECONDLY, one local day at a time: a day that fails the day parts costs one check; inside a
 * day either the allowed (hour, minute, second) combinations are tested for alignment with the interval or the
 * aligned periods are tested against the masks, whichever is fewer.
 */
function subDaily(
  c: Compiled,
  fromLocal: number,
  toLocal: number,
  buf: number[],
  flush: () => boolean,
  tick: (n: number) => void,
): void {
  const freq = c.freq;
  const unit = freq === 'HOURLY' ? MS_PER_HOUR : freq === 'MINUTELY' ? MS_PER_MINUTE : MS_PER_SECOND;
  const dtLocal = c.rule.dtstartLocalMs;
  const base = dtLocal - (dtLocal % unit);
  const step = unit * c.interval;
  const hours = listOf(c.hourMask, ALL_HOURS);
  const minutes = freq === 'HOURLY' ? [0] : listOf(c.minuteMask, ALL_SIXTY);
  const seconds = freq === 'SECONDLY' ? listOf(c.secondMask, ALL_SIXTY) : [0];
  const combos = hours.length * minutes.length * seconds.length;
  const periodsPerDay = MS_PER_DAY / step;
  const subTimes = c.subTimes;
  const emit = (p: number): boolean => {
    lastHitDay = Math.floor(p / MS_PER_DAY);
    buf.length = 0;
    for (let i = 0; i < subTimes.length; i++) buf.push(p + subTimes[i]);
    return flush();
  };
  let day = Math.floor(base / MS_PER_DAY);
  if (fromLocal !== -Infinity) day = Math.max(day, Math.floor(fromLocal / MS_PER_DAY));
  // Days and the period grid realign after 400 years times the grid's own cycle: nothing by then means never.
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const cycleDays = 146097 * (step / gcd(step, MS_PER_DAY));
  let lastHitDay = day;
  for (; day * MS_PER_DAY <= toLocal && day - lastHitDay <= cycleDays; day++) {
    tick(1);
    const ds = day * MS_PER_DAY;
    const startAt = Math.max(ds, base);
    const p0 = base + Math.ceil((startAt - base) / step) * step;
    if (p0 >= ds + MS_PER_DAY) {
      // No period starts today: go straight to the day of the next one.
      day = Math.floor(p0 / MS_PER_DAY) - 1;
      continue;
    }
    if (!dayMatches(c, day)) continue;
    if (combos <= periodsPerDay) {
      tick(combos);
      for (const h of hours) {
        for (const m of minutes) {
          for (const s of seconds) {
            const p = ds + h * MS_PER_HOUR + m * MS_PER_MINUTE + s * MS_PER_SECOND;
            if (p < base || (p - base) % step !== 0) continue;
            if (!emit(p)) return;
          }
        }
      }
    } else {
      const end = ds + MS_PER_DAY;
      for (let p = p0; p < end; p += step) {
        tick(1);
        const inDay = p - ds;
        if (c.hourMask !== null && c.hourMask[Math.floor(inDay / MS_PER_HOUR)] !== 1) continue;
        if (c.minuteMask !== null && c.minuteMask[Math.floor((inDay % MS_PER_HOUR) / MS_PER_MINUTE)] !== 1) continue;
        if (c.secondMask !== null && c.secondMask[Math.floor((inDay % MS_PER_MINUTE) / MS_PER_SECOND)] !== 1) continue;
        if (!emit(p)) return;
      }
    }
  }
}
