/**
 * Every failure the trust layer reports, by code. Callers (the hub's HTTP guard, the CLIs) switch on the code; the
 * message is written for the person who has to act on it.
 */
export type ProvisioningErrorCode =
  // keystore and key files
  | 'KEYSTORE_NOT_FOUND'
  | 'KEYSTORE_PERMISSIONS'
  | 'KEYSTORE_CORRUPT'
  | 'KEYSTORE_VERSION'
  | 'KEYSTORE_EXISTS'
  | 'PUBLIC_KEY_FILE_INVALID'
  | 'HUB_KEY_INVALID'
  // enrolment and rotation
  | 'ENROLMENT_CODE_INVALID'
  | 'ENROLMENT_CODE_CHECK'
  | 'ENROLMENT_URL_INVALID'
  | 'ENROLMENT_MESSAGE_INVALID'
  | 'ENROLMENT_SIGNATURE_INVALID'
  | 'ENROLMENT_CLOCK_SKEW'
  | 'ROTATION_MESSAGE_INVALID'
  | 'ROTATION_SIGNATURE_INVALID'
  // HTTP message signatures
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_MALFORMED'
  | 'SIGNATURE_COMPONENT_NOT_COVERED'
  | 'SIGNATURE_UNKNOWN_KEY'
  | 'SIGNATURE_KEY_REVOKED'
  | 'SIGNATURE_CLOCK_SKEW'
  | 'SIGNATURE_NONCE_REPLAYED'
  | 'SIGNATURE_DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  // hub-signed documents
  | 'DOCUMENT_MALFORMED'
  | 'DOCUMENT_WRONG_KEY'
  | 'DOCUMENT_SIGNATURE_INVALID'
  // encrypted tracks
  | 'TRACK_NOT_A_TRACK'
  | 'TRACK_UNSUPPORTED_VERSION'
  | 'TRACK_HEADER_MALFORMED'
  | 'TRACK_HEADER_TAMPERED'
  | 'TRACK_NOT_FOR_THIS_APPLIANCE'
  | 'TRACK_CHUNK_TAMPERED'
  | 'TRACK_TRUNCATED'
  | 'TRACK_TRAILING_DATA'
  | 'TRACK_HASH_MISMATCH'
  | 'TRACK_INPUT_INVALID'
  // talking to the hub
  | 'HUB_UNREACHABLE'
  | 'HUB_REFUSED'
  | 'HUB_RESPONSE_INVALID'
  // files the user named
  | 'FILE_WRITE_FAILED'
  | 'FILE_READ_FAILED'
  // sodium backend
  | 'SODIUM_UNAVAILABLE';

/** A failure with a stable code and a one-line message that says what is wrong and what to do. */
export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';

  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
    /** Extra machine-readable facts (e.g. the chunk index for TRACK_CHUNK_TAMPERED). */
    readonly details: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}

/** True when `error` is a {@link ProvisioningError}, optionally with the given code. */
export function isProvisioningError(error: unknown, code?: ProvisioningErrorCode): error is ProvisioningError {
  return error instanceof ProvisioningError && (code === undefined || error.code === code);
}

/**
 * The HTTP status a hub answers for each code, so the hub's exception filter maps them in one exhaustive place:
 * authentication failures 401, bad input 400, conflicts with stored state 409, unreachable upstream 502.
 */
export function httpStatusFor(code: ProvisioningErrorCode): number {
  switch (code) {
    case 'SIGNATURE_MISSING':
    case 'SIGNATURE_MALFORMED':
    case 'SIGNATURE_COMPONENT_NOT_COVERED':
    case 'SIGNATURE_UNKNOWN_KEY':
    case 'SIGNATURE_KEY_REVOKED':
    case 'SIGNATURE_CLOCK_SKEW':
    case 'SIGNATURE_NONCE_REPLAYED':
    case 'SIGNATURE_DIGEST_MISMATCH':
    case 'SIGNATURE_INVALID':
    case 'ENROLMENT_SIGNATURE_INVALID':
    case 'ROTATION_SIGNATURE_INVALID':
      return 401;
    case 'ENROLMENT_CODE_INVALID':
    case 'ENROLMENT_CODE_CHECK':
    case 'ENROLMENT_URL_INVALID':
    case 'ENROLMENT_MESSAGE_INVALID':
    case 'ENROLMENT_CLOCK_SKEW':
    case 'ROTATION_MESSAGE_INVALID':
    case 'DOCUMENT_MALFORMED':
    case 'TRACK_INPUT_INVALID':
    case 'PUBLIC_KEY_FILE_INVALID':
      return 400;
    case 'KEYSTORE_EXISTS':
      return 409;
    case 'HUB_UNREACHABLE':
    case 'HUB_REFUSED':
    case 'HUB_RESPONSE_INVALID':
      return 502;
    case 'KEYSTORE_NOT_FOUND':
    case 'KEYSTORE_PERMISSIONS':
    case 'KEYSTORE_CORRUPT':
    case 'KEYSTORE_VERSION':
    case 'HUB_KEY_INVALID':
    case 'DOCUMENT_WRONG_KEY':
    case 'DOCUMENT_SIGNATURE_INVALID':
    case 'TRACK_NOT_A_TRACK':
    case 'TRACK_UNSUPPORTED_VERSION':
    case 'TRACK_HEADER_MALFORMED':
    case 'TRACK_HEADER_TAMPERED':
    case 'TRACK_NOT_FOR_THIS_APPLIANCE':
    case 'TRACK_CHUNK_TAMPERED':
    case 'TRACK_TRUNCATED':
    case 'TRACK_TRAILING_DATA':
    case 'TRACK_HASH_MISMATCH':
    case 'SODIUM_UNAVAILABLE':
    case 'FILE_WRITE_FAILED':
    case 'FILE_READ_FAILED':
      // Appliance-side or hub-internal conditions: if one reaches an HTTP response it is the hub's own fault.
      return 500;
  }
}

/**
 * A file-system failure on a path the user gave, as a one-line typed error naming that path (not a temp file) and
 * the errno code.
 */
export function fileError(action: 'read' | 'write', path: string, error: unknown): ProvisioningError {
  if (error instanceof ProvisioningError) return error;
  const errno = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown error';
  const hint =
    action === 'write' ? 'check that the directory exists and is writable' : 'check the path and its permissions';
  return new ProvisioningError(
    action === 'write' ? 'FILE_WRITE_FAILED' : 'FILE_READ_FAILED',
    `cannot ${action} ${path} (${errno}): ${hint}`,
  );
}
