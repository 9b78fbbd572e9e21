import { SIZES, type Sodium } from './backend';

/** The native libsodium binding: fastest, but needs a compiled addon for the platform (none for 32-bit Arm). */
export function createNativeSodium(): Sodium {
  // Loaded here rather than at the top so that a missing or broken addon is a fallback, not a crash on import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const native = require('sodium-native') as typeof import('sodium-native');
  return {
    name: 'sodium-native',
    randomBytes(length) {
      const out = Buffer.alloc(length);
      native.randombytes_buf(out);
      return out;
    },
    signSeedKeypair(seed) {
      const publicKey = Buffer.alloc(SIZES.signPublicKey);
      const secretKey = Buffer.alloc(SIZES.signSecretKey);
      native.crypto_sign_seed_keypair(publicKey, secretKey, seed);
      return { publicKey, secretKey };
    },
    signDetached(message, secretKey) {
      const signature = Buffer.alloc(SIZES.signature);
      native.crypto_sign_detached(signature, message, secretKey);
      return signature;
    },
    verifyDetached(signature, message, publicKey) {
      if (signature.length !== SIZES.signature || publicKey.length !== SIZES.signPublicKey) return false;
      try {
        return native.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },
    x25519Base(secretKey) {
      const publicKey = Buffer.alloc(SIZES.x25519Key);
      native.crypto_scalarmult_base(publicKey, secretKey);
      return publicKey;
    },
    x25519(secretKey, publicKey) {
      if (publicKey.length !== SIZES.x25519Key) return null;
      const shared = Buffer.alloc(SIZES.x25519Key);
      try {
        native.crypto_scalarmult(shared, secretKey, publicKey);
      } catch {
        return null;
      }
      return shared.every((b) => b === 0) ? null : shared;
    },
    blake2b(outLength, message, key) {
      const out = Buffer.alloc(outLength);
      if (key) native.crypto_generichash(out, message, key);
      else native.crypto_generichash(out, message);
      return out;
    },
    aeadEncrypt(plaintext, ad, nonce, key) {
      const out = Buffer.allocUnsafe(plaintext.length + SIZES.aeadTag);
      native.crypto_aead_xchacha20poly1305_ietf_encrypt(out, plaintext, ad, null, nonce, key);
      return out;
    },
    aeadEncryptInto(out, plaintext, ad, nonce, key) {
      // libsodium encrypts in place when the output starts at the input (the stream XOR, then the MAC over the output).
      native.crypto_aead_xchacha20poly1305_ietf_encrypt(out, plaintext, ad, null, nonce, key);
    },
    aeadDecrypt(ciphertext, ad, nonce, key) {
      if (ciphertext.length < SIZES.aeadTag) return null;
      const out = Buffer.allocUnsafe(ciphertext.length - SIZES.aeadTag);
      try {
        native.crypto_aead_xchacha20poly1305_ietf_decrypt(out, null, ciphertext, ad, nonce, key);
        return out;
      } catch {
        return null;
      }
    },
  };
}
