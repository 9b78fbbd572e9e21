/**
 * An RRULE prepared for expansion: the RFC 5545 defaults filled in (a YEARLY rule with no day parts recurs on
 * DTSTART's month and day, a MONTHLY one on DTSTART's day, a WEEKLY one on DTSTART's weekday) and every BYxxx list
 * turned into a lookup table. Cached per rule object.
 */
import { civilFromDays, daysFromCivil, daysInMonth, daysInYear, MS_PER_DAY, weekdayOfDays } from '../time/civil';
import type { Frequency, Recurrence, RRule, WeekdayNum } from './model';

export interface Compiled {
  rule: RRule;
  r: Recurrence;
  freq: Frequency;
  interval: number;
  dtDay: number;
  /** Day filters (null = not restricted). */
  monthMask: Uint8Array | null;
  mdPos: Uint8Array | null;
  mdNeg: Uint8Array | null;
  ydPos: Uint8Array | null;
  ydNeg: Uint8Array | null;
  wnPos: Uint8Array | null;
  wnNeg: Uint8Array | null;
  wdMask: Uint8Array | null;
  nth: WeekdayNum[];
  /** Ordinal BYDAY counts within the month (MONTHLY, or YEARLY with BYMONTH), else within the year. */
  nthInMonth: boolean;
  /** Times of day (ms after local midnight), ascending, for DAILY and longer frequencies. */
  times: number[];
  /** Sub-daily filters: allowed hours, minutes, seconds (null = any). */
  hourMask: Uint8Array | null;
  minuteMask: Uint8Array | null;
  secondMask: Uint8Array | null;
  /** Sub-daily: minutes x seconds (HOURLY) or seconds (MINUTELY) inside each period, in ms, ascending. */
  subTimes: number[];
  exLocal: ReadonlySet<number>;
  exUtc: ReadonlySet<number>;
  exDays: ReadonlySet<number>;
}

function mask(size: number, values: number[]): Uint8Array | null {
  if (values.length === 0) return null;
  const m = new Uint8Array(size);
  for (const v of values) m[v] = 1;
  return m;
}

function signedMasks(size: number, values: number[]): [Uint8Array | null, Uint8Array | null] {
  const pos = values.filter((v) => v > 0);
  const neg = values.filter((v) => v < 0).map((v) => -v);
  if (values.length === 0) return [null, null];
  return [mask(size, pos) ?? new Uint8Array(size), mask(size, neg) ?? new Uint8Array(size)];
}

/**
 * Compiled rules by zone, then source text: a parsed rule is a pure function of the two, and venues share rule
 * texts, so ten thousand zones on one template compile it once per zone name. Bounded: cleared when it grows past
 * CACHE_LIMIT entries. (A WeakMap keyed by rule object made every short-lived rule cost a GC ephemeron.)
 */
const cache = new Map<string, Map<string, Compiled>>();
let cached = 0;
const CACHE_LIMIT = 10_000;

/** The compiled form of a rule with a recurrence (cached by zone and source text). */
export function compile(rule: RRule): Compiled {
  let byText = cache.get(rule.tz);
  if (byText === undefined) {
    byText = new Map();
    cache.set(rule.tz, byText);
  }
  let c = byText.get(rule.source);
  if (c === undefined || !sameRule(c.rule, rule)) {
    if (cached >= CACHE_LIMIT) {
      cache.clear();
      cached = 0;
      byText = new Map();
      cache.set(rule.tz, byText);
    }
    c = build(rule);
    byText.set(rule.source, c);
    cached++;
  }
  return c;
}

/** Cheap guard against a hand-built rule whose `source` does not describe it. */
function sameRule(a: RRule, b: RRule): boolean {
  return (
    a === b ||
    (a.dtstartLocalMs === b.dtstartLocalMs &&
      a.dateOnly === b.dateOnly &&
      a.recurrence?.freq === b.recurrence?.freq &&
      a.recurrence?.interval === b.recurrence?.interval &&
      a.recurrence?.count === b.recurrence?.count &&
      a.rdates.length === b.rdates.length &&
      a.exdateLocalMs.length + a.exdateUtcMs.length + a.exdateDays.length ===
        b.exdateLocalMs.length + b.exdateUtcMs.length + b.exdateDays.length)
  );
}

const NO_DATES: ReadonlySet<number> = new Set<number>();

function build(rule: RRule): Compiled {
  const r = rule.recurrence;
  if (r === null) throw new Error('compile() needs a rule with an RRULE');
  const dt = rule.dtstart;
  const dtDay = daysFromCivil(dt.year, dt.month, dt.day);
  let byMonth = r.byMonth;
  let byMonthDay = r.byMonthDay;
  let byDay = r.byDay;
  const noDayParts =
    r.byWeekNo.length === 0 && r.byYearDay.length === 0 && byMonthDay.length === 0 && byDay.length === 0;
  if (
    r.freq === 'YEARLY' &&
    r.byWeekNo.length > 0 &&
    byDay.length === 0 &&
    byMonthDay.length === 0 &&
    r.byYearDay.length === 0
  ) {
    // "Week 20" names no day in it: like every unnamed part, it comes from DTSTART (RFC 5545 3.3.10).
    byDay = [{ weekday: weekdayOfDays(dtDay), n: 0 }];
  }
  if (noDayParts) {
    if (r.freq === 'YEARLY') {
      if (byMonth.length === 0) byMonth = [dt.month];
      byMonthDay = [dt.day];
    } else if (r.freq === 'MONTHLY') {
      byMonthDay = [dt.day];
    } else if (r.freq === 'WEEKLY') {
      byDay = [{ weekday: weekdayOfDays(dtDay), n: 0 }];
    }
  }
  const [mdPos, mdNeg] = signedMasks(32, byMonthDay);
  const [ydPos, ydNeg] = signedMasks(367, r.byYearDay);
  const [wnPos, wnNeg] = signedMasks(54, r.byWeekNo);
  const plain = byDay.filter((d) => d.n === 0).map((d) => d.weekday);
  const nth = byDay.filter((d) => d.n !== 0);
  const sub = r.freq === 'HOURLY' || r.freq === 'MINUTELY' || r.freq === 'SECONDLY';
  const hours = r.byHour.length > 0 ? r.byHour : [dt.hour];
  const minutes = r.byMinute.length > 0 ? r.byMinute : [dt.minute];
  const seconds = r.bySecond.length > 0 ? r.bySecond : [dt.second];
  const times: number[] = [];
  if (!sub) {
    for (const h of hours) for (const m of minutes) for (const s of seconds) times.push(((h * 60 + m) * 60 + s) * 1000);
  }
  const subTimes: number[] = [];
  if (r.freq === 'HOURLY') for (const m of minutes) for (const s of seconds) subTimes.push((m * 60 + s) * 1000);
  if (r.freq === 'MINUTELY') for (const s of seconds) subTimes.push(s * 1000);
  if (r.freq === 'SECONDLY') subTimes.push(0);
  return {
    rule,
    r,
    freq: r.freq,
    interval: r.interval,
    dtDay,
    monthMask: mask(13, byMonth),
    mdPos,
    mdNeg,
    ydPos,
    ydNeg,
    wnPos,
    wnNeg,
    wdMask: byDay.length === 0 ? null : (mask(7, plain) ?? new Uint8Array(7)),
    nth,
    nthInMonth: r.freq === 'MONTHLY' || byMonth.length > 0,
    times: times.sort((a, b) => a - b),
    hourMask: sub ? mask(24, r.byHour) : null,
    minuteMask: sub && r.freq !== 'HOURLY' ? mask(60, r.byMinute) : null,
    secondMask: r.freq === 'SECONDLY' ? mask(60, r.bySecond) : null,
    subTimes,
    exLocal: rule.exdateLocalMs.length === 0 ? NO_DATES : new Set(rule.exdateLocalMs),
    exUtc: rule.exdateUtcMs.length === 0 ? NO_DATES : new Set(rule.exdateUtcMs),
    exDays: rule.exdateDays.length === 0 ? NO_DATES : new Set(rule.exdateDays),
  };
}

const scratch = { year: 0, month: 0, day: 0 };

/** First day (day number) of week 1 of `year` for week start `wkst`: the first week with at least 4 days in the year. */
function week1Start(year: number, wkst: number): number {
  const jan1 = daysFromCivil(year, 1, 1);
  const off = (weekdayOfDays(jan1) - wkst + 7) % 7;
  return off <= 3 ? jan1 - off : jan1 - off + 7;
}

function weekNoMatches(c: Compiled, days: number): boolean {
  const wkst = c.r.wkst;
  const weekStart = days - ((weekdayOfDays(days) - wkst + 7) % 7);
  // The week belongs to the year holding its fourth day (RFC 5545 3.3.10, BYWEEKNO).
  const y = civilFromDays(weekStart + 3, scratch).year;
  const w1 = week1Start(y, wkst);
  const weekNo = (weekStart - w1) / 7 + 1;
  if (c.wnPos !== null && c.wnPos[weekNo] === 1) return true;
  const weeks = (week1Start(y + 1, wkst) - w1) / 7;
  return c.wnNeg !== null && weeks - weekNo + 1 <= 53 && c.wnNeg[weeks - weekNo + 1] === 1;
}

/** True when the day (days since 1970-01-01) passes every day-level BYxxx part. */
export function dayMatches(c: Compiled, days: number): boolean {
  const d = civilFromDays(days, scratch);
  const year = d.year;
  const month = d.month;
  const day = d.day;
  if (c.monthMask !== null && c.monthMask[month] !== 1) return false;
  if (c.mdPos !== null) {
    const dim = daysInMonth(year, month);
    if (c.mdPos[day] !== 1 && c.mdNeg![dim - day + 1] !== 1) return false;
  }
  if (c.ydPos !== null) {
    const yday = days - daysFromCivil(year, 1, 1) + 1;
    if (c.ydPos[yday] !== 1 && c.ydNeg![daysInYear(year) - yday + 1] !== 1) return false;
  }
  if (c.wdMask !== null) {
    const wd = weekdayOfDays(days);
    if (c.wdMask[wd] !== 1 && !nthMatches(c, days, wd, year, month, day)) return false;
  }
  if (c.wnPos !== null && !weekNoMatches(c, days)) return false;
  return true;
}

function nthMatches(c: Compiled, days: number, wd: number, year: number, month: number, day: number): boolean {
  const nth = c.nth;
  if (nth.length === 0) return false;
  let fromStart: number;
  let fromEnd: number;
  if (c.nthInMonth) {
    fromStart = Math.floor((day - 1) / 7) + 1;
    fromEnd = Math.floor((daysInMonth(year, month) - day) / 7) + 1;
  } else {
    const yday = days - daysFromCivil(year, 1, 1);
    fromStart = Math.floor(yday / 7) + 1;
    fromEnd = Math.floor((daysInYear(year) - 1 - yday) / 7) + 1;
  }
  for (const e of nth) {
    if (e.weekday === wd && (e.n === fromStart || e.n === -fromEnd)) return true;
  }
  return false;
}

export { MS_PER_DAY };
