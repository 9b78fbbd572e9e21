import type { RuleErrorLocation } from './types';

/**
 * Why a rule, zone or request was refused. Stable strings: callers map them to HTTP statuses and CLI exit codes.
 * - `INVALID_SYNTAX`: the text is not a content line / rule part / cron field we can read;
 * - `INVALID_VALUE`: readable but out of range (BYHOUR=24, month 13, a date that does not exist);
 * - `MISSING_PART`: something required is absent (DTSTART, FREQ, a cron field);
 * - `CONFLICTING_PARTS`: parts RFC 5545 forbids together (COUNT with UNTIL, BYMONTHDAY with FREQ=WEEKLY ...);
 * - `NEVER_MATCHES`: a combination no date can satisfy (BYMONTH=2;BYMONTHDAY=30, cron `0 0 31 4 *`);
 * - `UNSUPPORTED`: valid RFC 5545 we deliberately do not take (RDATE periods, several RRULE lines);
 * - `UNKNOWN_ZONE`: not an IANA time zone this runtime knows;
 * - `TOO_EXPENSIVE`: answering would need more work than the engine allows (COUNT far behind a window ...);
 * - `INVALID_WINDOW`: a window or instant that is not a finite, ordered pair of epoch milliseconds.
 */
export type RuleErrorCode =
  | 'INVALID_SYNTAX'
  | 'INVALID_VALUE'
  | 'MISSING_PART'
  | 'CONFLICTING_PARTS'
  | 'NEVER_MATCHES'
  | 'UNSUPPORTED'
  | 'UNKNOWN_ZONE'
  | 'TOO_EXPENSIVE'
  | 'INVALID_WINDOW';

/** A refused rule, zone or request; `message` says what is wrong and what to do, `location` where. */
export class RuleError extends Error {
  override readonly name = 'RuleError';

  constructor(
    readonly code: RuleErrorCode,
    message: string,
    readonly location: RuleErrorLocation,
  ) {
    super(message);
  }
}
