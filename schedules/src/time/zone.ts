/**
 * IANA zone offsets without the process time zone: one cached Intl.DateTimeFormat per zone reads the offset at an
 * instant; transitions are found by daily sampling plus bisection to the second and cached per zone and year. After
 * that, instant -> wall clock and wall clock -> instant are plain arithmetic.
 */
import { RuleError } from '../rules/errors';
import type { LocalDateTime, LocalResolution, OffsetTransition } from '../rules/types';
import { daysFromCivil, localToMs, MS_PER_DAY, msToLocal } from './civil';

/** The span of one cached zone-year: the civil year plus a margin wider than any UTC offset on both sides. */
const MARGIN_MS = 2 * MS_PER_DAY;

interface ZoneYear {
  /** Covered instants: [fromMs, toMs). Also used for floating (local) milliseconds of the same civil year. */
  fromMs: number;
  toMs: number;
  /** Offset in milliseconds before the first transition. */
  offset0: number;
  /** Transitions in the span, ascending. */
  atMs: number[];
  /** Offset in milliseconds after each transition. */
  after: number[];
}

interface Zone {
  name: string;
  fmt: Intl.DateTimeFormat | null;
  years: Map<number, ZoneYear>;
  last: ZoneYear | null;
}

const zones = new Map<string, Zone>();

/** Latest and earliest years we resolve: four-digit years, as RFC 5545 DATE values have. */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 9999;

function formatterFor(tz: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    era: undefined,
  });
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu', 'Zulu', 'Universal']);

/** True when `tz` names an IANA zone this runtime's tz database knows (offset strings like "+05:30" are not zones). */
export function isValidZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  if (zones.has(tz)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  try {
    // Build and keep the zone now: validating costs one Intl.DateTimeFormat, the expensive part of using it.
    zones.set(tz, { name: tz, fmt: UTC_NAMES.has(tz) ? null : formatterFor(tz), years: new Map(), last: null });
    return true;
  } catch {
    return false;
  }
}

/** Throws RuleError UNKNOWN_ZONE unless {@link isValidZone}. */
export function assertZone(tz: string, part = 'time zone'): void {
  if (!isValidZone(tz)) {
    throw new RuleError(
      'UNKNOWN_ZONE',
      `unknown time zone "${String(tz)}": use an IANA zone name such as Europe/Berlin or UTC`,
      { part },
    );
  }
}

function zoneOf(tz: string): Zone {
  let z = zones.get(tz);
  if (z === undefined) {
    assertZone(tz);
    z = { name: tz, fmt: UTC_NAMES.has(tz) ? null : formatterFor(tz), years: new Map(), last: null };
    zones.set(tz, z);
  }
  return z;
}

/** Offset (ms) of `tz` at a whole-second instant, straight from Intl: the slow path behind the caches. */
function rawOffset(fmt: Intl.DateTimeFormat, utcMs: number): number {
  const s = fmt.format(utcMs); // "MM/DD/YYYY, HH:MM:SS"
  const comma = s.indexOf(',');
  const month = +s.slice(0, 2);
  const day = +s.slice(3, 5);
  const year = +s.slice(6, comma);
  const hour = +s.slice(comma + 2, comma + 4);
  const minute = +s.slice(comma + 5, comma + 7);
  const second = +s.slice(comma + 8, comma + 10);
  const local = daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
  return local - Math.floor(utcMs / 1000) * 1000;
}

function buildYear(zone: Zone, year: number): ZoneYear {
  const fromMs = daysFromCivil(year, 1, 1) * MS_PER_DAY - MARGIN_MS;
  const toMs = daysFromCivil(year + 1, 1, 1) * MS_PER_DAY + MARGIN_MS;
  const zy: ZoneYear = { fromMs, toMs, offset0: 0, atMs: [], after: [] };
  const fmt = zone.fmt;
  if (fmt === null) return zy;
  let prevT = fromMs;
  let prevOff = rawOffset(fmt, fromMs);
  zy.offset0 = prevOff;
  // Daily samples: no zone has changed its offset twice within one day, so no transition pair can hide between two.
  for (let t = fromMs + MS_PER_DAY; t <= toMs; t += MS_PER_DAY) {
    const off = rawOffset(fmt, t);
    if (off !== prevOff) {
      let lo = prevT;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (rawOffset(fmt, mid) === prevOff) lo = mid;
        else hi = mid;
      }
      if (hi < toMs) {
        zy.atMs.push(hi);
        zy.after.push(off);
      }
      prevOff = off;
    }
    prevT = t;
  }
  return zy;
}

/** The cached zone-year whose span contains `ms` (a UTC instant or floating local time of the same year). */
function yearFor(zone: Zone, ms: number): ZoneYear {
  const last = zone.last;
  if (last !== null && ms >= last.fromMs + MARGIN_MS && ms < last.toMs - MARGIN_MS) return last;
  const days = Math.floor(ms / MS_PER_DAY);
  // Civil year of a day number, cheaply: estimate, then correct.
  let year = Math.floor(days / 365.2425) + 1970;
  while (daysFromCivil(year, 1, 1) > days) year--;
  while (daysFromCivil(year + 1, 1, 1) <= days) year++;
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RuleError('INVALID_VALUE', `year ${year} is outside the supported range ${MIN_YEAR}-${MAX_YEAR}`, {
      part: 'date',
    });
  }
  let zy = zone.years.get(year);
  if (zy === undefined) {
    zy = buildYear(zone, year);
    zone.years.set(year, zy);
  }
  zone.last = zy;
  return zy;
}

/** UTC offset in milliseconds of `tz` at an instant. */
export function offsetMsAt(tz: string, utcMs: number): number {
  const zy = yearFor(zoneOf(tz), utcMs);
  let off = zy.offset0;
  const at = zy.atMs;
  for (let i = 0; i < at.length && at[i] <= utcMs; i++) off = zy.after[i];
  return off;
}

/** Floating local milliseconds of an instant in `tz`. */
export function utcToLocalMs(utcMs: number, tz: string): number {
  return utcMs + offsetMsAt(tz, utcMs);
}

/** The wall-clock time in `tz` at an instant (whole seconds). */
export function utcToLocal(utcMs: number, tz: string): LocalDateTime {
  return msToLocal(utcToLocalMs(utcMs, tz));
}

/**
 * Result codes of {@link resolveLocalMs}, kept in module scope so the expansion loops allocate nothing:
 * UNIQUE/AMBIGUOUS/GAP and, after a call, `resolved.a` / `resolved.b` hold the instants (see the function).
 */
export const UNIQUE = 0;
export const AMBIGUOUS = 1;
export const GAP = 2;
export const resolved = { a: 0, b: 0 };

/**
 * Maps floating local milliseconds in `tz` to instants. Returns UNIQUE (`resolved.a` = the instant), AMBIGUOUS
 * (`a` = first occurrence, `b` = second) or GAP (`a` = the transition instant, `b` = the reading with the offset from
 * before the gap).
 */
export function resolveLocalMs(localMs: number, tz: string): number {
  return resolveInZone(zoneOf(tz), localMs);
}

/** An opaque handle on a zone's cached tables, for loops that resolve many wall times in one zone. */
export type ZoneHandle = Zone;

/** The handle of `tz` (throws UNKNOWN_ZONE). */
export function zoneHandle(tz: string): ZoneHandle {
  return zoneOf(tz);
}

/** {@link resolveLocalMs} with a zone handle. */
export function resolveInZone(zone: ZoneHandle, localMs: number): number {
  const zy = yearFor(zone, localMs);
  const at = zy.atMs;
  const n = at.length;
  let found = 0;
  let prevOff = zy.offset0;
  let start = -Infinity;
  for (let i = 0; i <= n; i++) {
    const end = i < n ? at[i] : Infinity;
    const u = localMs - prevOff;
    if (u >= start && u < end) {
      if (found === 0) resolved.a = u;
      else resolved.b = u;
      found++;
    }
    if (i < n) {
      start = end;
      prevOff = zy.after[i];
    }
  }
  if (found === 1) return UNIQUE;
  if (found >= 2) return AMBIGUOUS;
  // No period contains the reading, so it lies in a forward jump: find which.
  prevOff = zy.offset0;
  for (let i = 0; i < n; i++) {
    const after = zy.after[i];
    if (after > prevOff && localMs >= at[i] + prevOff && localMs < at[i] + after) {
      resolved.a = at[i];
      resolved.b = localMs - prevOff;
      return GAP;
    }
    prevOff = after;
  }
  /* istanbul ignore next: unreachable when the transition table is consistent */
  throw new Error(`inconsistent offset table for ${zone.name} at local ${localMs}`);
}

/** How a wall-clock time in `tz` maps to instants: unique, ambiguous (fall-back) or in a gap (spring-forward). */
export function resolveLocal(local: LocalDateTime, tz: string): LocalResolution {
  const kind = resolveLocalMs(localToMs(local), tz);
  if (kind === UNIQUE) return { kind: 'unique', utcMs: resolved.a };
  if (kind === AMBIGUOUS) return { kind: 'ambiguous', earlierMs: resolved.a, laterMs: resolved.b };
  return { kind: 'gap', transitionMs: resolved.a, shiftedMs: resolved.b };
}

/** RFC 5545 3.3.5 reading of a wall-clock time: the first occurrence if repeated, shifted forward if skipped. */
export function localMsToUtc3305(localMs: number, tz: string): number {
  const kind = resolveLocalMs(localMs, tz);
  return kind === GAP ? resolved.b : resolved.a;
}

/** The offset changes of `tz` at instants in [fromMs, toMs), ascending. */
export function offsetTransitions(tz: string, fromMs: number, toMs: number): OffsetTransition[] {
  const zone = zoneOf(tz);
  const out: OffsetTransition[] = [];
  if (!(toMs > fromMs)) return out;
  let t = fromMs;
  let lastAt = -Infinity;
  while (t < toMs) {
    const zy = yearFor(zone, t);
    let before = zy.offset0;
    for (let i = 0; i < zy.atMs.length; i++) {
      const a = zy.atMs[i];
      if (a >= fromMs && a < toMs && a > lastAt) {
        out.push({ atMs: a, offsetBeforeSec: before / 1000, offsetAfterSec: zy.after[i] / 1000 });
        lastAt = a;
      }
      before = zy.after[i];
    }
    t = zy.toMs - MARGIN_MS;
  }
  return out;
}

/** The IANA tz database release this runtime's Intl uses (e.g. "2025c"): results depend on it, so plans record it. */
export function tzdbVersion(): string {
  return process.versions.tz ?? 'unknown';
}
