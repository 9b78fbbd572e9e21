/** Why a schedule, a window or an operation was refused. */
export type ScheduleErrorCode =
  | 'INVALID_FORMAT'
  | 'INVALID_FIELD'
  | 'INVALID_RULE'
  | 'INVALID_ZONE'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_BLOCK'
  | 'INVALID_WINDOW'
  | 'TOO_MANY_OCCURRENCES'
  | 'OUTSIDE_COMPILED_WINDOW';

/**
 * A typed error for schedule input and operations. `path` is the JSON path of the failing part (e.g.
 * `blocks[2].rule.rrule`), empty for errors that are not about one part of a schedule document.
 */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';

  constructor(
    readonly code: ScheduleErrorCode,
    readonly path: string,
    readonly detail: string,
  ) {
    super(path ? `${path}: ${detail}` : detail);
  }
}
