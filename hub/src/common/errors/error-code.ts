/**
 * Every error code a client can see. Add a feature's codes here (grouped, with a comment) AND a case in
 * `httpStatusFor` (http-status.ts): the switch is exhaustive, so the build fails until the new code has a status.
 * Codes are stable API: clients branch on them; never rename one.
 */
export enum ErrorCode {
  // Generic request problems.
  ValidationFailed = 'VALIDATION_FAILED',
  BadRequest = 'BAD_REQUEST',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RangeNotSatisfiable = 'RANGE_NOT_SATISFIABLE',
  Unprocessable = 'UNPROCESSABLE',

  // Authentication and authorization.
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Forbidden = 'FORBIDDEN',
  CsrfInvalid = 'CSRF_INVALID',
  RateLimited = 'RATE_LIMITED',
  AccountLocked = 'ACCOUNT_LOCKED',

  // Tenancy and venues.
  InvalidTimeZone = 'INVALID_TIME_ZONE',

  // Catalogue and media.
  MediaInvalid = 'MEDIA_INVALID',

  // Platform.
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
}
