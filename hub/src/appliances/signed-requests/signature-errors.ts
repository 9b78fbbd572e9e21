import { isProvisioningError, type ProvisioningErrorCode } from '@roomtone/provisioning';
import { AppError, ErrorCode } from '../../common/errors';

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
