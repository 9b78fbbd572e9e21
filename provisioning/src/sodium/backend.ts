/**
 * The few libsodium operations the trust layer needs, behind one interface so that the fast native build and the
 * portable WebAssembly build are interchangeable (they produce identical bytes; see the interop tests).
 */
export interface Sodium {
  /** Which build this is, for logs and benchmarks. */
  readonly name: SodiumBackendName;
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array;
  /** Ed25519 key pair from a 32-byte seed; secretKey is libsodium's 64-byte form (seed || public key). */
  signSeedKeypair(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
  /** Ed25519 detached signature (64 bytes). */
  signDetached(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** Ed25519 verification; false (never a throw) for any malformed input. */
  verifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** X25519 public key for a 32-byte secret scalar. */
  x25519Base(secretKey: Uint8Array): Uint8Array;
  /** X25519 shared secret; null when the peer key is a low-order point (the result would be all zeros). */
  x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array | null;
  /** BLAKE2b with an output of `outLength` bytes (16..64) and an optional key (16..64 bytes). */
  blake2b(outLength: number, message: Uint8Array, key?: Uint8Array): Uint8Array;
  /** XChaCha20-Poly1305-IETF: ciphertext || 16-byte tag. */
  aeadEncrypt(plaintext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  /**
   * {@link aeadEncrypt} into `out`, which must be exactly `plaintext.length + 16` bytes: no allocation (the hub's
   * delivery hot path). `out` may start at the same byte as `plaintext` (in-place encryption); no other overlap.
   */
  aeadEncryptInto(out: Uint8Array, plaintext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  /** XChaCha20-Poly1305-IETF decryption; null when authentication fails. */
  aeadDecrypt(ciphertext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null;
}

/** The libsodium builds we ship with. */
export type SodiumBackendName = 'sodium-native' | 'libsodium-wrappers';

/** Sizes fixed by the primitives. */
export const SIZES = {
  aeadKey: 32,
  aeadNonce: 24,
  aeadTag: 16,
  signPublicKey: 32,
  signSeed: 32,
  signSecretKey: 64,
  signature: 64,
  x25519Key: 32,
} as const;
