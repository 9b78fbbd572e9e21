import { promises as fs } from 'node:fs';
import { ProvisioningError } from '../errors';
import { fromBase64Url, toBase64Url } from '../encoding';
import type { Sodium } from '../sodium/backend';
import type { TrackRecipient } from '../track/decryptor';
import { type ApplianceKeys, applianceKeysFromSecrets, generateApplianceKeys } from './appliance-keys';
import { writeFileAtomic } from './atomic-write';
import { assertOwnerOnly } from './file-permissions';

/** The keystore format version this code reads and writes. */
export const KEYSTORE_VERSION = 1;
const KEYSTORE_FORMAT = 'roomtone-appliance-keystore';

/** Everything an appliance needs to prove who it is and to trust its hub. */
export interface Keystore {
  /** Assigned by the hub at enrolment or bundle time; null until then. */
  applianceId: string | null;
  /** The hub this appliance belongs to; null until enrolled. */
  hubUrl: string | null;
  /** The hub's Ed25519 public key, pinned at enrolment: every hub-signed document is checked against it. */
  hubPublicKey: Uint8Array | null;
  /** When the keys were generated (ISO 8601 UTC). */
  createdAt: string;
  keys: ApplianceKeys;
}

/** A new keystore with fresh keys, not yet enrolled anywhere. */
export function createKeystore(sodium: Sodium, now: Date): Keystore {
  return {
    applianceId: null,
    hubUrl: null,
    hubPublicKey: null,
    createdAt: now.toISOString(),
    keys: generateApplianceKeys(sodium),
  };
}

/** The keystore's JSON text (contains private keys: write it only through {@link saveKeystore}). */
export function serializeKeystore(keystore: Keystore): string {
  const { keys } = keystore;
  const doc = {
    format: KEYSTORE_FORMAT,
    version: KEYSTORE_VERSION,
    applianceId: keystore.applianceId,
    hubUrl: keystore.hubUrl,
    hubPublicKey: keystore.hubPublicKey ? toBase64Url(keystore.hubPublicKey) : null,
    createdAt: keystore.createdAt,
    signing: {
      alg: 'ed25519',
      publicKey: toBase64Url(keys.signing.publicKey),
      seed: toBase64Url(keys.signing.seed.expose()),
    },
    encryption: {
      alg: 'x25519',
      publicKey: toBase64Url(keys.encryption.publicKey),
      secretKey: toBase64Url(keys.encryption.secretKey.expose()),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Parses and checks keystore text. Every way it can be wrong ends in a typed error naming `path` and what to do;
 * the public keys are re-derived from the private ones so a flipped byte is caught here, not at the hub.
 */
export function parseKeystore(sodium: Sodium, text: string, path: string): Keystore {
  const corrupt = (what: string) =>
    new ProvisioningError(
      'KEYSTORE_CORRUPT',
      `keystore ${path} is corrupt (${what}): restore it from a backup, or re-enrol the appliance with a new keystore`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw corrupt(text.trim() === '' ? 'empty file' : 'truncated or invalid JSON');
  }
  if (!isRecord(doc) || doc.format !== KEYSTORE_FORMAT) throw corrupt('not a Roomtone appliance keystore');
  if (doc.version !== KEYSTORE_VERSION) {
    throw new ProvisioningError(
      'KEYSTORE_VERSION',
      `keystore ${path} has version ${JSON.stringify(doc.version)}, this software reads version ${KEYSTORE_VERSION}: upgrade roomtone-appliance or re-enrol`,
    );
  }
  const applianceId = optionalString(doc.applianceId);
  const hubUrl = optionalString(doc.hubUrl);
  if (applianceId === undefined) throw corrupt('applianceId');
  if (hubUrl === undefined) throw corrupt('hubUrl');
  const hubPublicKey = doc.hubPublicKey === null ? null : fromBase64Url(doc.hubPublicKey, 32);
  if (doc.hubPublicKey !== null && !hubPublicKey) throw corrupt('hubPublicKey');
  if (typeof doc.createdAt !== 'string' || Number.isNaN(Date.parse(doc.createdAt))) throw corrupt('createdAt');
  const signing = isRecord(doc.signing) ? doc.signing : {};
  const encryption = isRecord(doc.encryption) ? doc.encryption : {};
  const seed = fromBase64Url(signing.seed, 32);
  const signingPublic = fromBase64Url(signing.publicKey, 32);
  const xSecret = fromBase64Url(encryption.secretKey, 32);
  const xPublic = fromBase64Url(encryption.publicKey, 32);
  if (signing.alg !== 'ed25519' || !seed || !signingPublic) throw corrupt('signing key');
  if (encryption.alg !== 'x25519' || !xSecret || !xPublic) throw corrupt('encryption key');
  const keys = applianceKeysFromSecrets(sodium, seed, xSecret);
  if (!Buffer.from(keys.signing.publicKey).equals(signingPublic))
    throw corrupt('signing public key does not match its seed');
  if (!Buffer.from(keys.encryption.publicKey).equals(xPublic))
    throw corrupt('encryption public key does not match its secret');
  return { applianceId, hubUrl, hubPublicKey, createdAt: doc.createdAt, keys };
}

/**
 * Loads the keystore at `path`, refusing it when group or others can read it (a copied secret is a cloned
 * appliance), when it is missing, corrupt, truncated or of another version.
 */
export async function loadKeystore(sodium: Sodium, path: string): Promise<Keystore> {
  let text: string;
  try {
    await assertOwnerOnly(path, 'keystore', 'KEYSTORE_PERMISSIONS');
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ProvisioningError) throw error;
    throw keystoreIoError(path, error);
  }
  return parseKeystore(sodium, text, path);
}

/** Writes the keystore atomically with mode 0600; refuses to replace an existing file unless `overwrite`. */
export async function saveKeystore(
  path: string,
  keystore: Keystore,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  if (!options.overwrite) {
    const exists = await fs.stat(path).then(
      () => true,
      () => false,
    );
    if (exists) {
      throw new ProvisioningError(
        'KEYSTORE_EXISTS',
        `${path} already exists: choose another path or move the old keystore away first`,
      );
    }
  }
  await writeFileAtomic(path, serializeKeystore(keystore), 0o600);
}

/** The keystore after enrolment: the same keys, now with an id, a hub and the hub's pinned key. */
export function enrolledKeystore(
  keystore: Keystore,
  enrolment: { applianceId: string; hubUrl: string; hubPublicKey: Uint8Array },
): Keystore {
  return { ...keystore, ...enrolment };
}

function keystoreIoError(path: string, error: unknown): ProvisioningError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new ProvisioningError(
      'KEYSTORE_NOT_FOUND',
      `keystore ${path} does not exist: check the path, or create one with 'roomtone-provision keygen --out ${path}'`,
    );
  }
  if (code === 'EISDIR')
    return new ProvisioningError(
      'KEYSTORE_CORRUPT',
      `keystore ${path} is a directory: give the path of the keystore file`,
    );
  return new ProvisioningError(
    'KEYSTORE_CORRUPT',
    `keystore ${path} cannot be read (${code ?? 'unknown error'}): check the file and its owner`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' && value.length > 0 && value.length <= 2048 ? value : undefined;
}

/** The appliance's side of a track key, from its keystore: what TrackCache, decryptFile and friends take. */
export function trackRecipientOf(keystore: Keystore): TrackRecipient {
  return {
    publicKey: keystore.keys.encryption.publicKey,
    secretKey: keystore.keys.encryption.secretKey,
    applianceId: keystore.applianceId,
  };
}
