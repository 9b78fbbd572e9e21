import type { LocalDateTime } from '../rules/types';

export type Frequency = 'SECONDLY' | 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** A BYDAY entry: `weekday` 0 = MO ... 6 = SU; `n` the ordinal (+1 first, -1 last), 0 for every such weekday. */
export interface WeekdayNum {
  weekday: number;
  n: number;
}

/** The parts of one RRULE line, validated. Lists are sorted and de-duplicated; absent parts are empty lists. */
export interface Recurrence {
  freq: Frequency;
  interval: number;
  count: number | null;
  /** UNTIL as an instant (a `Z` value), or null. */
  untilUtcMs: number | null;
  /** UNTIL as a wall-clock time in the rule's zone (floating ms, inclusive; a DATE means its whole day), or null. */
  untilLocalMs: number | null;
  bySecond: number[];
  byMinute: number[];
  byHour: number[];
  byDay: WeekdayNum[];
  byMonthDay: number[];
  byYearDay: number[];
  byWeekNo: number[];
  byMonth: number[];
  bySetPos: number[];
  /** Week start, 0 = MO (the default) ... 6 = SU. */
  wkst: number;
}

/** An RDATE, resolved once at parse time. */
export interface RDateEntry {
  startMs: number;
  /** Wall clock in the rule's zone, floating milliseconds. */
  localMs: number;
  inGap: boolean;
}

/**
 * A parsed RFC 5545 recurrence: DTSTART, at most one RRULE, RDATEs and EXDATEs. Plain data (JSON-serialisable), so a
 * compiled plan can keep it.
 */
export interface RRule {
  kind: 'rrule';
  /** The zone the recurrence is evaluated in: DTSTART's TZID, 'UTC' for a `Z` DTSTART, else the default zone. */
  tz: string;
  /** The content lines as given. */
  source: string;
  dtstart: LocalDateTime;
  /** DTSTART as floating milliseconds in `tz`. */
  dtstartLocalMs: number;
  /** DTSTART;VALUE=DATE: instances are whole days and start at the first instant of their day. */
  dateOnly: boolean;
  /** Null when there is no RRULE line (DTSTART and RDATEs only). */
  recurrence: Recurrence | null;
  rdates: RDateEntry[];
  /** EXDATEs given as wall-clock times in `tz` (floating ms): an instance whose named local time is one is excluded. */
  exdateLocalMs: number[];
  /** EXDATEs given as instants (`Z`, or a TZID other than `tz`). */
  exdateUtcMs: number[];
  /** EXDATE;VALUE=DATE: day numbers (days since 1970-01-01) whose instances are all excluded. */
  exdateDays: number[];
}
