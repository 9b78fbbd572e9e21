import type { LocalDateTime } from '../rules/types';
import { ScheduleError } from './errors';
import { parseDuration, parseLocalDate, parseLocalDateTime, parseTimeOfDay } from './iso';
import type { BlockLength, GapPolicy, LocalDate, StartMode } from './model';

/** A JSON object being read, with the JSON path of where it sits, for errors that name the failing part. */
export type Json = Record<string, unknown>;

export function fail(path: string, detail: string): never {
  throw new ScheduleError('INVALID_FIELD', path, detail);
}

export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function asObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `expected an object, got ${show(value)}`);
  }
  return value as Json;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${show(value)}`);
  return value;
}

/** Refuses keys the format does not define, so a typo ("volumne") is an error instead of being silently ignored. */
export function onlyKeys(obj: Json, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(join(path, key), `unknown field; expected one of ${allowed.join(', ')}`);
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function str(obj: Json, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.trim() === '') {
    fail(join(path, key), value === undefined ? 'is required' : `expected a non-empty string, got ${show(value)}`);
  }
  return value;
}

export function optionalStr(obj: Json, key: string, path: string): string | undefined {
  return obj[key] === undefined ? undefined : str(obj, key, path);
}

export function int(obj: Json, key: string, path: string, min: number, max: number, fallback?: number): number {
  const value = obj[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(
      join(path, key),
      value === undefined ? 'is required' : `expected an integer from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return value;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function id(obj: Json, key: string, path: string): string {
  const value = str(obj, key, path);
  if (!ID.test(value)) fail(join(path, key), `${show(value)} is not an id: use 1-64 letters, digits, '_', '.', '-'`);
  return value;
}

export function localDate(obj: Json, key: string, path: string): LocalDate {
  const value = str(obj, key, path);
  return parseLocalDate(value) ?? fail(join(path, key), `${show(value)} is not a date: write YYYY-MM-DD`);
}

export function localDateTime(obj: Json, key: string, path: string): LocalDateTime {
  const value = str(obj, key, path);
  return (
    parseLocalDateTime(value) ??
    fail(join(path, key), `${show(value)} is not a wall-clock time: write YYYY-MM-DDTHH:MM[:SS] without an offset`)
  );
}

/** Blocks longer than this are refused: a block is a part of a week, and the bound keeps lookbacks finite. */
export const MAX_BLOCK_DAYS = 7;

export function blockLength(obj: Json, path: string): BlockLength {
  const hasDuration = obj.duration !== undefined;
  const hasEnd = obj.end !== undefined;
  if (hasDuration === hasEnd) {
    fail(
      path,
      hasEnd ? 'give either "duration" or "end", not both' : 'needs "duration" (e.g. "PT4H") or "end" ("06:00")',
    );
  }
  if (hasEnd) {
    const value = str(obj, 'end', path);
    const end = parseTimeOfDay(value);
    return end ? { end } : fail(join(path, 'end'), `${show(value)} is not a time of day: write HH:MM or HH:MM:SS`);
  }
  const value = str(obj, 'duration', path);
  const duration = parseDuration(value);
  if (!duration) fail(join(path, 'duration'), `${show(value)} is not an ISO 8601 duration such as PT4H or P1DT2H`);
  if (duration.days * 86400 + duration.seconds === 0) fail(join(path, 'duration'), 'must be longer than zero');
  if (duration.days * 86400 + duration.seconds > MAX_BLOCK_DAYS * 86400) {
    fail(join(path, 'duration'), `must be at most P${MAX_BLOCK_DAYS}D; split longer programming into several blocks`);
  }
  return { duration };
}

export function startMode(obj: Json, path: string): StartMode {
  const value = obj.start;
  const p = join(path, 'start');
  if (value === undefined || value === 'hard') return { mode: 'hard' };
  if (value === 'soft') return { mode: 'soft' };
  const start = asObject(value, p);
  onlyKeys(start, p, ['mode', 'maxLatenessSeconds']);
  const mode = str(start, 'mode', p);
  if (mode === 'hard') {
    if (start.maxLatenessSeconds !== undefined) fail(join(p, 'maxLatenessSeconds'), 'only applies to mode "soft"');
    return { mode: 'hard' };
  }
  if (mode !== 'soft') fail(join(p, 'mode'), `expected "hard" or "soft", got ${show(mode)}`);
  if (start.maxLatenessSeconds === undefined) return { mode: 'soft' };
  return { mode: 'soft', maxLatenessSec: int(start, 'maxLatenessSeconds', p, 1, 3600) };
}

export function gapPolicy(obj: Json, path: string): GapPolicy {
  const value = obj.gap ?? 'clip';
  if (value !== 'clip' && value !== 'skip') fail(join(path, 'gap'), `expected "clip" or "skip", got ${show(value)}`);
  return value;
}
