import { SIZES, type Sodium } from './backend';

/** libsodium compiled to WebAssembly: slower, but runs wherever Node runs (32-bit Arm appliances included). */
export async function createWasmSodium(): Promise<Sodium> {
  // Loaded lazily: machines with the native build never pay for instantiating the WebAssembly module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const s = require('libsodium-wrappers') as typeof import('libsodium-wrappers');
  await s.ready;
  const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.length);
  return {
    name: 'libsodium-wrappers',
    randomBytes: (length) => buf(s.randombytes_buf(length)),
    signSeedKeypair(seed) {
      const pair = s.crypto_sign_seed_keypair(seed);
      return { publicKey: buf(pair.publicKey), secretKey: buf(pair.privateKey) };
    },
    signDetached: (message, secretKey) => buf(s.crypto_sign_detached(message, secretKey)),
    verifyDetached(signature, message, publicKey) {
      if (signature.length !== SIZES.signature || publicKey.length !== SIZES.signPublicKey) return false;
      try {
        return s.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },
    x25519Base: (secretKey) => buf(s.crypto_scalarmult_base(secretKey)),
    x25519(secretKey, publicKey) {
      if (publicKey.length !== SIZES.x25519Key) return null;
      try {
        const shared = s.crypto_scalarmult(secretKey, publicKey);
        return shared.every((b) => b === 0) ? null : buf(shared);
      } catch {
        return null;
      }
    },
    blake2b: (outLength, message, key) => buf(s.crypto_generichash(outLength, message, key ?? null)),
    aeadEncrypt: (plaintext, ad, nonce, key) =>
      buf(s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key)),
    aeadEncryptInto(out, plaintext, ad, nonce, key) {
      if (out.length !== plaintext.length + SIZES.aeadTag) {
        throw new RangeError(`out must be plaintext length + ${SIZES.aeadTag} bytes`);
      }
      // The result is a new array, complete before it is copied: in place is safe.
      out.set(s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key));
    },
    aeadDecrypt(ciphertext, ad, nonce, key) {
      if (ciphertext.length < SIZES.aeadTag) return null;
      try {
        return buf(s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key));
      } catch {
        return null;
      }
    },
  };
}
