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

  // Appliances and the trust layer: each signed-request check has its own code (the same as provisioning's).
  SignatureMissing = 'SIGNATURE_MISSING',
  SignatureMalformed = 'SIGNATURE_MALFORMED',
  SignatureComponentNotCovered = 'SIGNATURE_COMPONENT_NOT_COVERED',
  SignatureClockSkew = 'SIGNATURE_CLOCK_SKEW',
  SignatureUnknownKey = 'SIGNATURE_UNKNOWN_KEY',
  SignatureKeyRevoked = 'SIGNATURE_KEY_REVOKED',
  SignatureDigestMismatch = 'SIGNATURE_DIGEST_MISMATCH',
  SignatureInvalid = 'SIGNATURE_INVALID',
  SignatureNonceReplayed = 'SIGNATURE_NONCE_REPLAYED',
  EnrolmentRequestInvalid = 'ENROLMENT_REQUEST_INVALID',
  EnrolmentCodeInvalid = 'ENROLMENT_CODE_INVALID',
  EnrolmentCodeUnknown = 'ENROLMENT_CODE_UNKNOWN',
  EnrolmentCodeExpired = 'ENROLMENT_CODE_EXPIRED',
  EnrolmentCodeUsed = 'ENROLMENT_CODE_USED',
  EnrolmentCodeLocked = 'ENROLMENT_CODE_LOCKED',
  KeyRotationInvalid = 'KEY_ROTATION_INVALID',

  // Zone schedules: the schedules engine refused the document (details.scheduleCode, details.path), or it names
  // programmes the venue cannot use.
  ScheduleInvalid = 'SCHEDULE_INVALID',
  UnknownProgramme = 'UNKNOWN_PROGRAMME',

  // Appliance API (docs/appliance-api.md).
  NoPlan = 'NO_PLAN',
  PlanBodyNotFound = 'PLAN_BODY_NOT_FOUND',
  NoLicence = 'NO_LICENCE',
  NotInPlan = 'NOT_IN_PLAN',
  PreviewOnly = 'PREVIEW_ONLY',

  // Platform.
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
}
