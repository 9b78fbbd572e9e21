import type { LocalDateTime } from '../rules/types';

/** The JSON format version this library reads and writes (`"version": 1`). */
export const SCHEDULE_FORMAT_VERSION = 1;

/** A wall-clock time of day. */
export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

/** A calendar date with no zone. `month` is 1-12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/**
 * An ISO 8601 duration split the way RFC 5545 3.3.6 reads it: weeks and days are nominal (a day is a calendar day,
 * 23 or 25 hours long across a clock change), hours/minutes/seconds are exact elapsed time.
 */
export interface NominalDuration {
  days: number;
  seconds: number;
  text: string;
}

/** How a block takes over from what played before it. */
export type StartMode = { mode: 'hard' } | { mode: 'soft'; maxLatenessSec?: number };

/** What a block does when its wall-clock start does not exist (spring-forward gap). */
export type GapPolicy = 'clip' | 'skip';

/** The rule of a block, as written: RFC 5545 content lines or a cron expression, evaluated in the schedule's zone. */
export type RuleSpec = { rrule: string } | { cron: string };

/** How long a block lasts: an ISO 8601 duration or a wall-clock end time (the next day when not after the start). */
export type BlockLength = { duration: NominalDuration } | { end: TimeOfDay };

/** One block of programming: every occurrence of its rule plays its programme for its length. */
export interface Block {
  id: string;
  rule: RuleSpec;
  length: BlockLength;
  programme: string;
  /** 0-100. */
  volume: number;
  /** Higher wins where blocks overlap. */
  priority: number;
  start: StartMode;
  gap: GapPolicy;
}

/** A dated override over whole local days [from 00:00, the day after `to` 00:00) in the schedule's zone. */
export type Override =
  | { id: string; from: LocalDate; to: LocalDate; action: 'closed' }
  | {
      id: string;
      from: LocalDate;
      to: LocalDate;
      action: 'modify';
      programme?: string;
      volume?: number;
      /** Block ids it applies to; all blocks when absent. */
      appliesTo?: string[];
    }
  | { id: string; from: LocalDate; to: LocalDate; action: 'replace'; blocks: Block[] };

/** An exception to one occurrence of a block, named by the wall-clock start its rule gives it. */
export type OccurrenceException =
  | { block: string; occurrence: LocalDateTime; action: 'cancel' }
  | { block: string; occurrence: LocalDateTime; action: 'move'; to: LocalDateTime };

/** A zone's validated schedule. Build one with `parseSchedule`. */
export interface Schedule {
  version: typeof SCHEDULE_FORMAT_VERSION;
  /** IANA time zone of the venue; every rule and date is read in it. */
  zone: string;
  blocks: Block[];
  overrides: Override[];
  exceptions: OccurrenceException[];
}
