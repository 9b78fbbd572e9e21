// @roomtone/provisioning: the trust layer shared by the hub, the appliance and the roomtone-provision CLI.
// Everything public is exported here; apps import nothing else from this package.

/** Version of this library's public contract. */
export const PROVISIONING_VERSION = 1;

export { ProvisioningError, isProvisioningError, httpStatusFor, type ProvisioningErrorCode } from './errors';
export { type Clock, systemClock, FixedClock } from './clock';
export { toBase64Url, fromBase64Url, publicKeyId, sha256 } from './encoding';

// libsodium backends
export { type Sodium, type SodiumBackendName } from './sodium/backend';
export { loadSodium } from './sodium/load';
export { createNativeSodium } from './sodium/native';
export { createWasmSodium } from './sodium/wasm';

// keys and keystores
export { SecretBytes } from './keys/secret-bytes';
export { writeFileAtomic } from './keys/atomic-write';
export {
  type ApplianceKeys,
  type AppliancePublicKeys,
  generateApplianceKeys,
  applianceKeysFromSecrets,
  publicKeysOf,
} from './keys/appliance-keys';
export {
  type Keystore,
  KEYSTORE_VERSION,
  createKeystore,
  serializeKeystore,
  parseKeystore,
  loadKeystore,
  saveKeystore,
  enrolledKeystore,
  trackRecipientOf,
} from './keys/keystore';
export {
  type AppliancePublicIdentity,
  serializePublicKeyFile,
  publicIdentityOf,
  loadPublicIdentity,
} from './keys/public-key-file';
export { HubSigningKey, type HubKeySource, HUB_KEY_FILE, loadOrCreateHubSigningKey } from './keys/hub-key';

// enrolment and rotation
export {
  CROCKFORD_ALPHABET,
  generateEnrolmentCode,
  parseEnrolmentCode,
  isValidEnrolmentCode,
  formatEnrolmentCode,
  checkCharacter,
  enrolmentUrl,
  parseEnrolmentUrl,
} from './enrolment/code';
export {
  type EnrolmentRequest,
  type EnrolmentResponsePayload,
  type VerifiedEnrolmentRequest,
  createEnrolmentRequest,
  verifyEnrolmentRequest,
  createEnrolmentResponse,
  verifyEnrolmentResponse,
} from './enrolment/messages';
export { type KeyRotationMessage, createKeyRotation, verifyKeyRotation } from './enrolment/rotation';

// HTTP message signatures (RFC 9421) and content digests (RFC 9530)
export { type OutgoingRequest, type RequestSigner, type SignatureHeaders, signRequest } from './httpsig/signer';
export {
  type IncomingRequest,
  type KnownKey,
  type VerifierDeps,
  type VerifiedRequest,
  verifyRequest,
} from './httpsig/verifier';
export { type NonceStore, MemoryNonceStore } from './httpsig/nonce-store';
export { contentDigest, contentDigestMatches } from './httpsig/content-digest';

// hub-signed documents
export { type JsonValue, canonicalize, canonicalBytes } from './documents/jcs';
export { type SignedDocument, signDocument, verifyDocument, documentSigningBytes } from './documents/signed-document';

// encrypted tracks
export {
  type TrackHeader,
  FORMAT_VERSION as TRACK_FORMAT_VERSION,
  DEFAULT_CHUNK_SIZE,
  parseHeader as parseTrackHeader,
  peekHeaderLength as peekTrackHeaderLength,
  chunkCount,
  chunkOffset,
  chunkPlaintextLength,
  encryptedLength,
} from './track/format';
export { type EncryptionParams, TrackEncryptor } from './track/encryptor';
export { type TrackRecipient, TrackDecryptor } from './track/decryptor';
export { encryptStream, decryptStream, decryptToBuffer } from './track/stream';
export { hashFile, encryptFile, decryptFile } from './track/files';

// command-line plumbing shared by roomtone-provision and roomtone-appliance
export { type CliCommand, type CliIo, type CliValues, UsageError, requireOption, runCli } from './cli-kit';

// appliance API wire contract (docs/appliance-api.md)
export * from './api';
