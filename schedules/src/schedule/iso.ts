import type { LocalDateTime } from '../rules/types';
import type { LocalDate, NominalDuration, TimeOfDay } from './model';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function validTime(hour: number, minute: number, second: number): boolean {
  return hour <= 23 && minute <= 59 && second <= 59;
}

/**
 * Parses an ISO 8601 instant that carries its offset (`2026-03-29T01:00:00Z`, `2026-03-29T03:00+02:00`) to UTC epoch
 * milliseconds, or returns undefined. A time without an offset is refused: it names no instant.
 */
export function parseInstant(text: string): number | undefined {
  const m = INSTANT.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  if (!validDate(year, month, day) || !validTime(hour, minute, second)) return undefined;
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let offsetMin = 0;
  if (m[8].toUpperCase() !== 'Z') {
    const digits = m[8].replace(':', '').padEnd(5, '0');
    offsetMin = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (digits.startsWith('-') ? -1 : 1);
    if (Number(digits.slice(3, 5)) > 59 || Number(digits.slice(1, 3)) > 18) return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMin * 60_000;
}

/** Formats epoch milliseconds as `2026-03-29T07:00:00Z` (milliseconds only when there are some). */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Parses `YYYY-MM-DDTHH:MM[:SS]` (a wall-clock time, no offset), or returns undefined. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const m = LOCAL_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  if (!validDate(year, month, day) || !validTime(hour, minute, second)) return undefined;
  return { year, month, day, hour, minute, second };
}

/** Parses `YYYY-MM-DD`, or returns undefined. */
export function parseLocalDate(text: string): LocalDate | undefined {
  const m = LOCAL_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  return validDate(year, month, day) ? { year, month, day } : undefined;
}

/** Parses `HH:MM[:SS]`, or returns undefined. `24:00` is refused: write `00:00` (the block ends the next day). */
export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] ? Number(m[3]) : 0;
  return validTime(hour, minute, second) ? { hour, minute, second } : undefined;
}

/** Parses an ISO 8601 duration with weeks, days, hours, minutes and seconds (`PT4H`, `P1DT2H`), or undefined. */
export function parseDuration(text: string): NominalDuration | undefined {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [weeks, days, hours, minutes, seconds] = [m[1], m[2], m[3], m[4], m[5]].map((v) => (v ? Number(v) : 0));
  return { days: weeks * 7 + days, seconds: hours * 3600 + minutes * 60 + seconds, text };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
// Plans format an occurrence per interval (millions in a hub's nightly compile): a table beats padStart.
const TWO = Array.from({ length: 60 }, (_, i) => pad(i));

/** `2026-03-29T02:30` (seconds only when not zero). */
export function formatLocal(t: LocalDateTime): string {
  const year = t.year >= 1000 && t.year <= 9999 ? String(t.year) : pad(t.year, 4);
  const base = `${year}-${TWO[t.month]}-${TWO[t.day]}T${TWO[t.hour]}:${TWO[t.minute]}`;
  return t.second ? `${base}:${TWO[t.second]}` : base;
}

/** `2026-03-29`. */
export function formatDate(d: LocalDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** `02:30` (seconds only when not zero). */
export function formatTime(t: TimeOfDay): string {
  const base = `${pad(t.hour)}:${pad(t.minute)}`;
  return t.second ? `${base}:${pad(t.second)}` : base;
}

/** A wall-clock time as if it were UTC: the arithmetic for "the same wall clock N days later" without a zone. */
export function localAsUtcMs(t: LocalDateTime): number {
  // Days from the civil date (H. Hinnant's algorithm): called once per occurrence, cheaper than Date.UTC.
  const y = t.month <= 2 ? t.year - 1 : t.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (t.month + (t.month > 2 ? -3 : 9)) + 2) / 5) + t.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86_400_000 + t.hour * 3_600_000 + t.minute * 60_000 + t.second * 1000;
}

/** The inverse of `localAsUtcMs`. */
export function localFromUtcFields(ms: number): LocalDateTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Human length: `9h`, `7h30m`, `45m`, `1d2h`. */
export function formatLength(ms: number): string {
  let s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('');
  return parts || '0s';
}
