/**
 * Proleptic Gregorian calendar arithmetic on plain numbers. The rule engines work in "floating" local time: a
 * wall-clock reading encoded as milliseconds since 1970-01-01T00:00 as if it were UTC. Nothing here consults the
 * process's time zone, and nothing allocates a Date.
 */
import type { LocalDateTime } from '../rules/types';

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). `month` is 1-12. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Scratch output of {@link civilFromDays}, reused so that hot loops do not allocate. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The date of a day number (inverse of {@link daysFromCivil}); writes into `out` and returns it. */
export function civilFromDays(days: number, out: CivilDate = { year: 0, month: 0, day: 0 }): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out.month = month;
  out.day = day;
  return out;
}

/** ISO weekday of a day number: 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOfDays(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** Floating milliseconds of a wall-clock reading. */
export function localToMs(l: LocalDateTime): number {
  return (
    daysFromCivil(l.year, l.month, l.day) * MS_PER_DAY +
    l.hour * MS_PER_HOUR +
    l.minute * MS_PER_MINUTE +
    l.second * MS_PER_SECOND
  );
}

/** One-entry cache: expansion output is ordered, so consecutive instants mostly share their date. */
let cachedDay = NaN;
let cachedYear = 0;
let cachedMonth = 0;
let cachedDate = 0;
const scratch: CivilDate = { year: 0, month: 0, day: 0 };

/** Wall-clock fields of floating milliseconds (sub-second parts are dropped). */
export function msToLocal(ms: number): LocalDateTime {
  const days = Math.floor(ms / MS_PER_DAY);
  if (days !== cachedDay) {
    civilFromDays(days, scratch);
    cachedDay = days;
    cachedYear = scratch.year;
    cachedMonth = scratch.month;
    cachedDate = scratch.day;
  }
  const rest = Math.floor((ms - days * MS_PER_DAY) / MS_PER_SECOND);
  return {
    year: cachedYear,
    month: cachedMonth,
    day: cachedDate,
    hour: Math.floor(rest / 3600),
    minute: Math.floor((rest % 3600) / 60),
    second: rest % 60,
  };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `2026-03-29T02:30:00` (no zone designator): for messages and test names. */
export function formatLocal(l: LocalDateTime): string {
  return `${pad(l.year, 4)}-${pad(l.month, 2)}-${pad(l.day, 2)}T${pad(l.hour, 2)}:${pad(l.minute, 2)}:${pad(l.second, 2)}`;
}

/** `2026-03-29T01:00:00Z`, the one UTC form the rule layer prints (whole seconds). */
export function formatUtc(utcMs: number): string {
  return `${formatLocal(msToLocal(utcMs))}Z`;
}
