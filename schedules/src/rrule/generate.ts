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
import { GAP, MAX_YEAR, resolved, resolveLocalMs } from '../time/zone';
import { dayMatches, type Compiled } from './compile';

/** Periods plus candidates one call may examine before it gives up with TOO_EXPENSIVE. */
export const WORK_LIMIT = 20_000_000;

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
  const tz = rule.tz;
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
    const kind = resolveLocalMs(local, tz);
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
  const flush = (): boolean => {
    work += buf.length;
    if (work > WORK_LIMIT) tooExpensive();
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
      for (; !stopped; k++) {
        const y = y0 + k * interval;
        const first = daysFromCivil(y, 1, 1);
        if (first * MS_PER_DAY > toLocal || y > MAX_YEAR) break;
        buf.length = 0;
        for (let m = 1; m <= 12; m++) {
          if (c.monthMask !== null && c.monthMask[m] !== 1) continue;
          const start = daysFromCivil(y, m, 1);
          const end = start + daysInMonth(y, m);
          for (let d = start; d < end; d++) addDay(d);
        }
        work += 12;
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
      for (; !stopped; k++) {
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
      for (; !stopped; k++) {
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
      subDaily(c, fromLocal, toLocal, buf, flush, () => {
        work++;
        if (work > WORK_LIMIT) tooExpensive();
      });
      break;
  }
}

function subDaily(
  c: Compiled,
  fromLocal: number,
  toLocal: number,
  buf: number[],
  flush: () => boolean,
  tick: () => void,
): void {
  const unit = c.freq === 'HOURLY' ? MS_PER_HOUR : c.freq === 'MINUTELY' ? MS_PER_MINUTE : MS_PER_SECOND;
  const dtLocal = c.rule.dtstartLocalMs;
  const base = dtLocal - (dtLocal % unit);
  const step = unit * c.interval;
  let k = fromLocal === -Infinity ? 0 : Math.max(0, Math.floor((fromLocal - base) / step));
  const firstAtOrAfter = (ms: number): number => Math.max(k + 1, Math.ceil((ms - base) / step));
  let lastDay = NaN;
  let lastDayOk = false;
  const subTimes = c.subTimes;
  while (true) {
    const p = base + k * step;
    if (p > toLocal) return;
    tick();
    const day = Math.floor(p / MS_PER_DAY);
    if (day !== lastDay) {
      lastDay = day;
      lastDayOk = dayMatches(c, day);
    }
    if (!lastDayOk) {
      k = firstAtOrAfter((day + 1) * MS_PER_DAY);
      continue;
    }
    const inDay = p - day * MS_PER_DAY;
    const hour = Math.floor(inDay / MS_PER_HOUR);
    if (c.hourMask !== null && c.hourMask[hour] !== 1) {
      k = firstAtOrAfter(day * MS_PER_DAY + (hour + 1) * MS_PER_HOUR);
      continue;
    }
    if (c.minuteMask !== null) {
      const minute = Math.floor((inDay % MS_PER_HOUR) / MS_PER_MINUTE);
      if (c.minuteMask[minute] !== 1) {
        k = firstAtOrAfter(p - (inDay % MS_PER_MINUTE) + MS_PER_MINUTE);
        continue;
      }
    }
    if (c.secondMask !== null && c.secondMask[Math.floor((inDay % MS_PER_MINUTE) / MS_PER_SECOND)] !== 1) {
      k++;
      continue;
    }
    buf.length = 0;
    for (let i = 0; i < subTimes.length; i++) buf.push(p + subTimes[i]);
    if (!flush()) return;
    k++;
  }
}
