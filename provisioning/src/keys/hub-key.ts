import { promises as fs } from 'node:fs';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { ProvisioningError } from '../errors';
import { fromBase64Url, publicKeyId, toBase64Url } from '../encoding';
import type { Sodium } from '../sodium/backend';
import { writeFileAtomic } from './atomic-write';
import { assertOwnerOnly } from './file-permissions';
import { SecretBytes } from './secret-bytes';

/** Name of the hub key file inside the hub's data directory. */
export const HUB_KEY_FILE = 'hub-signing-key.json';
const HUB_KEY_FORMAT = 'roomtone-hub-signing-key';

/**
 * The hub's Ed25519 signing key. Signs plans, licences and configuration. Logging it, inspecting it or serializing
 * it shows only the public key and key id.
 */
export class HubSigningKey {
  readonly #secretKey: SecretBytes;
  /** Short id of the public key; documents carry it as `signature.keyid`. */
  readonly keyId: string;

  constructor(
    private readonly sodium: Sodium,
    readonly publicKey: Uint8Array,
    secretKey: Uint8Array,
  ) {
    this.#secretKey = new SecretBytes(secretKey);
    this.keyId = publicKeyId(publicKey);
  }

  /** A detached Ed25519 signature over `message`. */
  sign(message: Uint8Array): Uint8Array {
    return this.sodium.signDetached(message, this.#secretKey.expose());
  }

  /** Public facts only. */
  toJSON(): { keyId: string; publicKey: string } {
    return { keyId: this.keyId, publicKey: toBase64Url(this.publicKey) };
  }

  [inspect.custom](): string {
    return `HubSigningKey { keyId: '${this.keyId}', secretKey: [redacted] }`;
  }
}

/** Where the hub key comes from: configuration (a base64url 32-byte seed) wins over the data directory. */
export interface HubKeySource {
  /** Base64url Ed25519 seed from configuration (e.g. ROOMTONE_HUB_SIGNING_KEY); never logged. */
  configuredSeed?: string;
  /** Directory outside any database where the key file lives (created on first use with mode 0600). */
  dataDir: string;
}

/**
 * The hub's signing key: from configuration when given, else from `<dataDir>/hub-signing-key.json`, creating it
 * (0600, atomically) on first use. A group/world-readable or corrupt key file stops the hub with a typed error.
 */
export async function loadOrCreateHubSigningKey(sodium: Sodium, source: HubKeySource): Promise<HubSigningKey> {
  if (source.configuredSeed !== undefined) {
    const seed = fromBase64Url(source.configuredSeed.trim(), 32);
    if (!seed) {
      throw new ProvisioningError(
        'HUB_KEY_INVALID',
        'the configured hub signing key is not a base64url Ed25519 seed of 32 bytes: fix the setting or remove it to use the data directory',
      );
    }
    return fromSeed(sodium, seed);
  }
  const path = join(source.dataDir, HUB_KEY_FILE);
  const exists = await fs.stat(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await fs.mkdir(source.dataDir, { recursive: true, mode: 0o700 });
    const seed = sodium.randomBytes(32);
    const key = fromSeed(sodium, seed);
    const doc = {
      format: HUB_KEY_FORMAT,
      version: 1,
      alg: 'ed25519',
      publicKey: toBase64Url(key.publicKey),
      seed: toBase64Url(seed),
    };
    await writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`, 0o600);
    return key;
  }
  await assertOwnerOnly(path, 'hub signing key', 'HUB_KEY_INVALID');
  const invalid = (what: string) =>
    new ProvisioningError(
      'HUB_KEY_INVALID',
      `hub signing key ${path} is unusable (${what}): restore it from a backup; deleting it makes every appliance reject the hub`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch {
    throw invalid('truncated or invalid JSON');
  }
  const record = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  if (record.format !== HUB_KEY_FORMAT || record.version !== 1 || record.alg !== 'ed25519')
    throw invalid('unknown format');
  const seed = fromBase64Url(record.seed, 32);
  if (!seed) throw invalid('seed');
  const key = fromSeed(sodium, seed);
  if (toBase64Url(key.publicKey) !== record.publicKey) throw invalid('public key does not match the seed');
  return key;
}

function fromSeed(sodium: Sodium, seed: Uint8Array): HubSigningKey {
  const pair = sodium.signSeedKeypair(seed);
  return new HubSigningKey(sodium, pair.publicKey, pair.secretKey);
}
