/**
 * The contract between the rule layer (time zones, RFC 5545 RRULE, cron) and the schedule model built on it.
 * Everything here is independent of the process's own time zone: instants are UTC epoch milliseconds and wall-clock
 * times are explicit fields.
 */

/** A wall-clock date-time with no zone attached ("floating" in RFC 5545 terms). `month` is 1-12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** How one wall-clock time maps to instants in one zone. */
export type LocalResolution =
  | { kind: 'unique'; utcMs: number }
  /** Fall-back overlap: the wall time happens twice; `earlierMs` is its first occurrence (RFC 5545 3.3.5). */
  | { kind: 'ambiguous'; earlierMs: number; laterMs: number }
  /**
   * Spring-forward gap: the wall time never happens. `gapStartMs`/`gapEndMs` bound the skipped span as instants
   * (they are equal instants: the transition), `shiftedMs` reads the time with the UTC offset from before the gap
   * (02:30 on a 02:00->03:00 night becomes 03:30), as RFC 5545 3.3.5 does for DTSTART.
   */
  | { kind: 'gap'; transitionMs: number; shiftedMs: number };

/** A change of a zone's UTC offset. */
export interface OffsetTransition {
  atMs: number;
  offsetBeforeSec: number;
  offsetAfterSec: number;
}

/**
 * What an RRULE does with an instance whose local time does not exist:
 * - `skip`: ignore it (RFC 5545 3.3.10), the default for instants;
 * - `shift`: read it with the offset from before the gap (3.3.5's DTSTART reading: 02:30 -> 03:30);
 * - `keep`: report it with `inGap: true` and `startMs` = the transition, so a block-level policy can decide.
 */
export type RRuleGapMode = 'skip' | 'shift' | 'keep';

/** One firing of a rule. */
export interface Occurrence {
  /** The instant it fires, by the rule kind's DST semantics (see the rule layer's documentation). */
  startMs: number;
  /** The wall-clock time the rule named, in the rule's zone (may not exist that day when `inGap`). */
  local: LocalDateTime;
  /** The named wall-clock time fell into a spring-forward gap. */
  inGap: boolean;
}

export interface ExpandOptions {
  /** Stop after this many occurrences (default and hard ceiling: see MAX_OCCURRENCES). */
  limit?: number;
  /** RRULE only; default `skip`. Cron always uses Vixie semantics and reports `inGap`. */
  gap?: RRuleGapMode;
}

/** Where in the input an error is: the part (e.g. "RRULE", "BYMONTHDAY", "cron day-of-week") and a 0-based offset. */
export interface RuleErrorLocation {
  part: string;
  position?: number;
}
