import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code';

/** Compile-time proof that a switch covered every member of a union. */
export function assertUnreachable(value: never): never {
  throw new Error(`unhandled value: ${String(value)}`);
}

/** The one mapping from error codes to HTTP statuses. Exhaustive: a new code does not compile until it is mapped. */
export function httpStatusFor(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.BadRequest:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UnsupportedMediaType:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.RangeNotSatisfiable:
      return HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
    case ErrorCode.Unprocessable:
    case ErrorCode.ScheduleInvalid:
    case ErrorCode.UnknownProgramme:
    case ErrorCode.InvalidTimeZone:
    case ErrorCode.MediaInvalid:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.Forbidden:
    case ErrorCode.CsrfInvalid:
    case ErrorCode.NotInPlan:
    case ErrorCode.PreviewOnly:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.RateLimited:
    case ErrorCode.AccountLocked:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.SignatureMissing:
    case ErrorCode.SignatureMalformed:
    case ErrorCode.SignatureComponentNotCovered:
    case ErrorCode.SignatureClockSkew:
    case ErrorCode.SignatureUnknownKey:
    case ErrorCode.SignatureKeyRevoked:
    case ErrorCode.SignatureDigestMismatch:
    case ErrorCode.SignatureInvalid:
    case ErrorCode.SignatureNonceReplayed:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.EnrolmentRequestInvalid:
    case ErrorCode.EnrolmentCodeInvalid:
    case ErrorCode.KeyRotationInvalid:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.EnrolmentCodeUnknown:
    case ErrorCode.NoPlan:
    case ErrorCode.PlanBodyNotFound:
    case ErrorCode.NoLicence:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.EnrolmentCodeExpired:
      return HttpStatus.GONE;
    case ErrorCode.EnrolmentCodeUsed:
      return HttpStatus.CONFLICT;
    case ErrorCode.EnrolmentCodeLocked:
      return HttpStatus.LOCKED;
    case ErrorCode.ServiceUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.Internal:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default:
      return assertUnreachable(code);
  }
}

/** The code to report for an HTTP error Nest or Fastify raised itself (unknown route, body too large...). */
export function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.BadRequest;
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
    case 405:
      return ErrorCode.NotFound;
    case 409:
      return ErrorCode.Conflict;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 415:
      return ErrorCode.UnsupportedMediaType;
    case 416:
      return ErrorCode.RangeNotSatisfiable;
    case 422:
      return ErrorCode.Unprocessable;
    case 429:
      return ErrorCode.RateLimited;
    case 503:
      return ErrorCode.ServiceUnavailable;
    default:
      return status >= 400 && status < 500 ? ErrorCode.BadRequest : ErrorCode.Internal;
  }
}
