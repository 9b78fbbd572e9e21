import { AppError, ErrorCode } from '../common/errors';
import type { OpeningInterval } from '../tenancy/entities';
import { openingHoursProblems } from './opening-hours';
import { isIanaTimeZone } from './time-zone';

/** Throws INVALID_TIME_ZONE unless `zone` is an IANA zone name. */
export function assertTimeZone(zone: string): void {
  if (!isIanaTimeZone(zone)) {
    throw new AppError(
      ErrorCode.InvalidTimeZone,
      `timeZone '${zone}' is not an IANA time zone; use a name such as Europe/Berlin or America/New_York`,
      { field: 'timeZone' },
    );
  }
}

/** Throws VALIDATION_FAILED listing every problem of a week of opening hours. */
export function assertOpeningHours(hours: readonly OpeningInterval[]): void {
  const problems = openingHoursProblems(hours);
  if (problems.length > 0) throw AppError.validation([{ field: 'openingHours', problems }]);
}

/** Copies DTO intervals into plain rows, in a stable order (weekday, then opening time). */
export function normaliseHours(hours: readonly OpeningInterval[]): OpeningInterval[] {
  return hours
    .map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes }))
    .sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens));
}
