/**
 * Cron expansion with Vixie cron's daylight-saving semantics, in the rule's zone: a fixed wall time swallowed by a
 * spring-forward gap fires once at the first instant after the gap (`inGap: true`); a fixed wall time repeated by
 * fall-back fires once, at its first occurrence; when the hour field is a wildcard or step every elapsed instant whose
 * wall clock matches fires (twice in a repeated hour, not at all in a skipped one).
 */
import type { Occurrence } from '../rules/types';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  MS_PER_DAY,
  MS_PER_HOUR,
  msToLocal,
  weekdayOfDays,
} from '../time/civil';
import { AMBIGUOUS, GAP, MAX_YEAR, resolved, resolveInZone, zoneHandle } from '../time/zone';
import type { CronRule } from './model';

const OFFSET_MARGIN_MS = 15 * MS_PER_HOUR;
const LAST_DAY = daysFromCivil(MAX_YEAR, 12, 30) - 1;

interface CompiledCron {
  rule: CronRule;
  times: number[];
  dom: Uint8Array;
  month: Uint8Array;
  dow: Uint8Array;
}

/** Compiled expressions by source text (the zone does not enter the tables); bounded like the RRULE cache. */
const cache = new Map<string, CompiledCron>();
const CACHE_LIMIT = 10_000;

function compileCron(rule: CronRule): CompiledCron {
  let c = cache.get(rule.source);
  if (c === undefined || !sameCron(c.rule, rule)) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const times: number[] = [];
    for (const h of rule.hours)
      for (const m of rule.minutes) for (const s of rule.seconds) times.push(((h * 60 + m) * 60 + s) * 1000);
    const mask = (size: number, values: number[]): Uint8Array => {
      const a = new Uint8Array(size);
      for (const v of values) a[v] = 1;
      return a;
    };
    c = { rule, times, dom: mask(32, rule.daysOfMonth), month: mask(13, rule.months), dow: mask(7, rule.daysOfWeek) };
    cache.set(rule.source, c);
  }
  return c;
}

function sameList(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Guards the cache against a hand-built rule whose `source` does not describe it. */
function sameCron(a: CronRule, b: CronRule): boolean {
  return (
    a === b ||
    (sameList(a.seconds, b.seconds) &&
      sameList(a.minutes, b.minutes) &&
      sameList(a.hours, b.hours) &&
      sameList(a.daysOfMonth, b.daysOfMonth) &&
      sameList(a.months, b.months) &&
      sameList(a.daysOfWeek, b.daysOfWeek))
  );
}

const scratch = { year: 0, month: 0, day: 0 };

function nearestWeekday(year: number, month: number, target: number, dim: number): number {
  if (target > dim) return -1;
  const wd = weekdayOfDays(daysFromCivil(year, month, target)); // 0 = Monday
  if (wd === 5) return target === 1 ? 3 : target - 1; // Saturday: Friday, or Monday the 3rd if the 1st
  if (wd === 6) return target === dim ? target - 2 : target + 1; // Sunday: Monday, or Friday if the month ends
  return target;
}

function domMatches(rule: CronRule, c: CompiledCron, year: number, month: number, day: number, days: number): boolean {
  if (c.dom[day] === 1) return true;
  const dim = daysInMonth(year, month);
  for (const n of rule.lastDayOffsets) if (day === dim - n) return true;
  for (const t of rule.nearestWeekdays) if (nearestWeekday(year, month, t, dim) === day) return true;
  if (rule.lastWeekdayOfMonth) {
    const wdLast = weekdayOfDays(days - day + dim);
    const lastWorkday = wdLast === 5 ? dim - 1 : wdLast === 6 ? dim - 2 : dim;
    if (day === lastWorkday) return true;
  }
  return false;
}

function dowMatches(rule: CronRule, c: CompiledCron, month: number, year: number, day: number, days: number): boolean {
  const dow = (weekdayOfDays(days) + 1) % 7; // cron: 0 = Sunday
  if (c.dow[dow] === 1) return true;
  for (const e of rule.nthDaysOfWeek) if (e.weekday === dow && Math.floor((day - 1) / 7) + 1 === e.n) return true;
  for (const w of rule.lastDaysOfWeek) if (w === dow && day + 7 > daysInMonth(year, month)) return true;
  return false;
}

/** True when the local day (days since 1970-01-01) is one the rule fires on. */
export function cronDayMatches(rule: CronRule, days: number): boolean {
  const c = compileCron(rule);
  const d = civilFromDays(days, scratch);
  const year = d.year;
  const month = d.month;
  const day = d.day;
  if (c.month[month] !== 1) return false;
  const domOk = domMatches(rule, c, year, month, day, days);
  // Vixie cron: a day field beginning with "*" is unrestricted, and then both must match (a bare "*" always does);
  // with both fields restricted, either one matching is enough.
  if (rule.domStar || rule.dowStar) return domOk && dowMatches(rule, c, month, year, day, days);
  return domOk || dowMatches(rule, c, month, year, day, days);
}

/** Firings of a cron rule in [fromMs, toMs), ascending and de-duplicated, at most `limit`. */
export function expandCron(rule: CronRule, fromMs: number, toMs: number, limit: number): Occurrence[] {
  const c = compileCron(rule);
  const zone = zoneHandle(rule.tz);
  const starts: number[] = [];
  const locals: number[] = [];
  const gaps: boolean[] = [];
  const firstDay = Math.floor((fromMs - OFFSET_MARGIN_MS) / MS_PER_DAY);
  const lastDay = Math.min(Math.floor((toMs + OFFSET_MARGIN_MS) / MS_PER_DAY), LAST_DAY);
  const times = c.times;
  let maxStart = -Infinity;
  let checkAt = limit;
  const add = (start: number, local: number, inGap: boolean): void => {
    if (start >= fromMs && start < toMs) {
      starts.push(start);
      locals.push(local);
      gaps.push(inGap);
      if (start > maxStart) maxStart = start;
    }
  };
  for (let day = firstDay; day <= lastDay; day++) {
    if (!cronDayMatches(rule, day)) continue;
    const base = day * MS_PER_DAY;
    for (let i = 0; i < times.length; i++) {
      const local = base + times[i];
      const kind = resolveInZone(zone, local);
      // Earliest readings grow with the wall time, so once `limit` are held and this one is past them all, every
      // later firing is too.
      if (starts.length >= checkAt && resolved.a > maxStart) {
        // Several swallowed times share one instant, so count distinct instants before stopping.
        const distinct = new Set(starts).size;
        if (distinct >= limit) return finishCron(starts, locals, gaps, limit);
        checkAt = starts.length + limit - distinct;
      }
      if (kind === GAP) {
        if (!rule.hourRepeats) add(resolved.a, local, true);
      } else {
        const later = resolved.b;
        add(resolved.a, local, false);
        if (kind === AMBIGUOUS && rule.hourRepeats) add(later, local, false);
      }
    }
  }
  return finishCron(starts, locals, gaps, limit);
}

function finishCron(starts: number[], locals: number[], gaps: boolean[], limit: number): Occurrence[] {
  const n = starts.length;
  let order: number[] | null = null;
  for (let i = 1; i < n; i++) {
    if (starts[i] < starts[i - 1]) {
      order = new Array<number>(n);
      for (let j = 0; j < n; j++) order[j] = j;
      order.sort((x, y) => starts[x] - starts[y] || locals[x] - locals[y]);
      break;
    }
  }
  const out: Occurrence[] = [];
  let prev = NaN;
  for (let j = 0; j < n && out.length < limit; j++) {
    const i = order === null ? j : order[j];
    if (starts[i] === prev) {
      // Several wall times landing on one instant (swallowed by a gap, or a gap's end) fire once; name the real one.
      if (out[out.length - 1].inGap && !gaps[i]) {
        out[out.length - 1] = { startMs: starts[i], local: msToLocal(locals[i]), inGap: false };
      }
      continue;
    }
    prev = starts[i];
    out.push({ startMs: starts[i], local: msToLocal(locals[i]), inGap: gaps[i] });
  }
  return out;
}
