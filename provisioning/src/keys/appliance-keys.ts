import type { Sodium } from '../sodium/backend';
import { SecretBytes } from './secret-bytes';

/** An appliance's two key pairs: Ed25519 to sign (requests, enrolment), X25519 to receive track keys. */
export interface ApplianceKeys {
  signing: { publicKey: Uint8Array; seed: SecretBytes; secretKey: SecretBytes };
  encryption: { publicKey: Uint8Array; secretKey: SecretBytes };
}

/** The public halves, which are all the hub ever receives. */
export interface AppliancePublicKeys {
  signing: Uint8Array;
  encryption: Uint8Array;
}

/** Generates fresh key pairs on this machine (the private halves never leave it). */
export function generateApplianceKeys(sodium: Sodium): ApplianceKeys {
  return applianceKeysFromSecrets(sodium, sodium.randomBytes(32), sodium.randomBytes(32));
}

/** Rebuilds the key pairs from their stored secrets (Ed25519 seed, X25519 scalar). */
export function applianceKeysFromSecrets(
  sodium: Sodium,
  signingSeed: Uint8Array,
  x25519Secret: Uint8Array,
): ApplianceKeys {
  const signing = sodium.signSeedKeypair(signingSeed);
  return {
    signing: {
      publicKey: signing.publicKey,
      seed: new SecretBytes(signingSeed),
      secretKey: new SecretBytes(signing.secretKey),
    },
    encryption: { publicKey: sodium.x25519Base(x25519Secret), secretKey: new SecretBytes(x25519Secret) },
  };
}

/** The public keys of `keys`. */
export function publicKeysOf(keys: ApplianceKeys): AppliancePublicKeys {
  return { signing: keys.signing.publicKey, encryption: keys.encryption.publicKey };
}
