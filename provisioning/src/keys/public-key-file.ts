import { promises as fs } from 'node:fs';
import { ProvisioningError } from '../errors';
import { fromBase64Url, toBase64Url } from '../encoding';
import type { Sodium } from '../sodium/backend';
import type { AppliancePublicKeys } from './appliance-keys';
import { type Keystore, loadKeystore } from './keystore';

const PUBLIC_KEY_FORMAT = 'roomtone-appliance-public-keys';

/** An appliance's public identity: what encrypting for it needs (and nothing secret). */
export interface AppliancePublicIdentity {
  applianceId: string | null;
  publicKeys: AppliancePublicKeys;
}

/** The public-key file (JSON): format, version 1, applianceId (or null), signing and encryption keys in base64url. */
export function serializePublicKeyFile(identity: AppliancePublicIdentity): string {
  const doc = {
    format: PUBLIC_KEY_FORMAT,
    version: 1,
    applianceId: identity.applianceId,
    signing: toBase64Url(identity.publicKeys.signing),
    encryption: toBase64Url(identity.publicKeys.encryption),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The public identity of a keystore. */
export function publicIdentityOf(keystore: Keystore): AppliancePublicIdentity {
  return {
    applianceId: keystore.applianceId,
    publicKeys: { signing: keystore.keys.signing.publicKey, encryption: keystore.keys.encryption.publicKey },
  };
}

/**
 * Reads either a public-key file or a full keystore (whichever `path` holds) and returns the public identity:
 * `encrypt --for` accepts both.
 */
export async function loadPublicIdentity(sodium: Sodium, path: string): Promise<AppliancePublicIdentity> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch {
    throw new ProvisioningError(
      'PUBLIC_KEY_FILE_INVALID',
      `cannot read ${path}: give a keystore or a public-key file made by 'roomtone-provision pubkey'`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ProvisioningError(
      'PUBLIC_KEY_FILE_INVALID',
      `${path} is not JSON: give a keystore or a public-key file made by 'roomtone-provision pubkey'`,
    );
  }
  const record = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  if (record.format !== PUBLIC_KEY_FORMAT) return publicIdentityOf(await loadKeystore(sodium, path));
  const signing = fromBase64Url(record.signing, 32);
  const encryption = fromBase64Url(record.encryption, 32);
  const applianceId = record.applianceId;
  if (
    record.version !== 1 ||
    !signing ||
    !encryption ||
    (applianceId !== null && (typeof applianceId !== 'string' || applianceId === ''))
  ) {
    throw new ProvisioningError(
      'PUBLIC_KEY_FILE_INVALID',
      `${path} is not a valid version 1 public-key file: export it again with 'roomtone-provision pubkey'`,
    );
  }
  return { applianceId, publicKeys: { signing, encryption } };
}
