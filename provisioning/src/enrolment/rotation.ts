import type { Clock } from '../clock';
import { canonicalBytes } from '../documents/jcs';
import { bytesEqual, fromBase64Url, toBase64Url } from '../encoding';
import { ProvisioningError } from '../errors';
import type { ApplianceKeys, AppliancePublicKeys } from '../keys/appliance-keys';
import type { Sodium } from '../sodium/backend';

/** An appliance replacing its keys: the new public keys, signed by the old signing key and by the new one. */
export interface KeyRotationMessage {
  type: 'roomtone.key-rotation';
  version: 1;
  applianceId: string;
  /** The signing key being retired (base64url), so the hub can check it is the one it knows. */
  previousSigningKey: string;
  publicKeys: { signing: string; encryption: string };
  nonce: string;
  createdAt: string;
  /** `previous` proves the request comes from the enrolled device; `next` proves possession of the new key. */
  signatures: { previous: string; next: string };
}

const ROTATION_CONTEXT = Buffer.from('roomtone-key-rotation-v1\n', 'utf8');

/** Device side: signs the rotation from `current` to `next` keys. */
export function createKeyRotation(
  sodium: Sodium,
  applianceId: string,
  current: ApplianceKeys,
  next: ApplianceKeys,
  clock: Clock,
): KeyRotationMessage {
  const body = {
    type: 'roomtone.key-rotation' as const,
    version: 1 as const,
    applianceId,
    previousSigningKey: toBase64Url(current.signing.publicKey),
    publicKeys: { signing: toBase64Url(next.signing.publicKey), encryption: toBase64Url(next.encryption.publicKey) },
    nonce: toBase64Url(sodium.randomBytes(16)),
    createdAt: new Date(clock.now()).toISOString(),
  };
  const bytes = Buffer.concat([ROTATION_CONTEXT, canonicalBytes(body)]);
  return {
    ...body,
    signatures: {
      previous: toBase64Url(sodium.signDetached(bytes, current.signing.secretKey.expose())),
      next: toBase64Url(sodium.signDetached(bytes, next.signing.secretKey.expose())),
    },
  };
}

/**
 * Hub side: the message names `applianceId`, is signed by the appliance's current key (`currentSigningKey`, from
 * the hub's records) and by the new key, and is recent. Returns the new public keys to store.
 */
export function verifyKeyRotation(
  sodium: Sodium,
  message: unknown,
  expected: { applianceId: string; currentSigningKey: Uint8Array; clock: Clock; maxSkewMs?: number },
): AppliancePublicKeys {
  const invalid = (what: string) =>
    new ProvisioningError('ROTATION_MESSAGE_INVALID', `key rotation message is invalid (${what}): refusing it`);
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw invalid('not an object');
  const m = message as Record<string, unknown>;
  if (m.type !== 'roomtone.key-rotation' || m.version !== 1) throw invalid('type or version');
  if (m.applianceId !== expected.applianceId) throw invalid('appliance id');
  const previous = fromBase64Url(m.previousSigningKey, 32);
  if (!previous || !bytesEqual(previous, expected.currentSigningKey))
    throw invalid('previousSigningKey is not the current key');
  const keys = m.publicKeys as Record<string, unknown> | null;
  const signing = fromBase64Url(keys?.signing, 32);
  const encryption = fromBase64Url(keys?.encryption, 32);
  if (!signing || !encryption) throw invalid('publicKeys');
  if (typeof m.nonce !== 'string' || !fromBase64Url(m.nonce, 16)) throw invalid('nonce');
  const createdAt = typeof m.createdAt === 'string' ? Date.parse(m.createdAt) : NaN;
  if (Number.isNaN(createdAt)) throw invalid('createdAt');
  if (Math.abs(expected.clock.now() - createdAt) > (expected.maxSkewMs ?? 300_000))
    throw invalid('createdAt is too far from the hub clock');
  const sigs = m.signatures as Record<string, unknown> | null;
  const sigPrevious = fromBase64Url(sigs?.previous, 64);
  const sigNext = fromBase64Url(sigs?.next, 64);
  if (!sigPrevious || !sigNext) throw invalid('signatures');
  const body = {
    type: m.type,
    version: m.version,
    applianceId: m.applianceId,
    previousSigningKey: m.previousSigningKey,
    publicKeys: { signing: keys?.signing, encryption: keys?.encryption },
    nonce: m.nonce,
    createdAt: m.createdAt,
  };
  const bytes = Buffer.concat([ROTATION_CONTEXT, canonicalBytes(body)]);
  if (!sodium.verifyDetached(sigPrevious, bytes, expected.currentSigningKey)) {
    throw new ProvisioningError(
      'ROTATION_SIGNATURE_INVALID',
      "key rotation is not signed by the appliance's current key: refusing it",
    );
  }
  if (!sodium.verifyDetached(sigNext, bytes, signing)) {
    throw new ProvisioningError(
      'ROTATION_SIGNATURE_INVALID',
      'key rotation is not signed by the new key (no proof of possession): refusing it',
    );
  }
  return { signing, encryption };
}
