import { isProvisioningError, type ProvisioningErrorCode } from '@roomtone/provisioning';
import { AppError, ErrorCode } from '../../common/errors';
import { NONCE_REPLAYED } from '../../database/group-commit';

/** Provisioning's verifier codes for signed requests, each with the hub's public code of the same name. */
function errorCodeFor(code: ProvisioningErrorCode): ErrorCode | undefined {
  switch (code) {
    case 'SIGNATURE_MISSING':
      return ErrorCode.SignatureMissing;
    case 'SIGNATURE_MALFORMED':
      return ErrorCode.SignatureMalformed;
    case 'SIGNATURE_COMPONENT_NOT_COVERED':
      return ErrorCode.SignatureComponentNotCovered;
    case 'SIGNATURE_CLOCK_SKEW':
      return ErrorCode.SignatureClockSkew;
    case 'SIGNATURE_UNKNOWN_KEY':
      return ErrorCode.SignatureUnknownKey;
    case 'SIGNATURE_KEY_REVOKED':
      return ErrorCode.SignatureKeyRevoked;
    case 'SIGNATURE_DIGEST_MISMATCH':
      return ErrorCode.SignatureDigestMismatch;
    case 'SIGNATURE_INVALID':
      return ErrorCode.SignatureInvalid;
    case 'SIGNATURE_NONCE_REPLAYED':
      return ErrorCode.SignatureNonceReplayed;
    default:
      return undefined;
  }
}

/**
 * A verifier failure as the 401 the appliance sees: the code names the check that failed, the message says what to
 * do, and `details.check` repeats the code for clients that log only details. Anything else is rethrown unchanged.
 */
export function toSignatureError(error: unknown): unknown {
  if (!isProvisioningError(error)) return error;
  const code = errorCodeFor(error.code);
  if (code === undefined) return error;
  return new AppError(code, error.message, { check: error.code, ...error.details });
}

/** The 401 for a replayed request, as the verifier's own check gives it (also raised where a nonce is claimed late). */
export function nonceReplayed(): AppError {
  return new AppError(ErrorCode.SignatureNonceReplayed, 'nonce already used: this request is a replay', {
    check: 'SIGNATURE_NONCE_REPLAYED',
  });
}

/** The SQLite writer's refusal of a claimed nonce as {@link nonceReplayed}; anything else unchanged. */
export function fromNonceClaim(error: unknown): unknown {
  return (error as { code?: unknown }).code === NONCE_REPLAYED ? nonceReplayed() : error;
}
