import type { Sodium } from '../sodium/backend';

// Deterministic key schedule of format version 1 (FORMAT.md, "Keys and nonces"). Every value is a BLAKE2b output
// under a distinct context string, so no two derivations can collide.

const ctx = (s: string) => Buffer.from(s, 'ascii');
const CTX_CONTENT_KEY = ctx('roomtone-track-key-v1');
const CTX_EPHEMERAL = ctx('roomtone-track-ephemeral-v1');
const CTX_FILE_NONCE = ctx('roomtone-track-nonce-v1');
const CTX_KEK = ctx('roomtone-track-kek-v1');

/** Who a track is for and which rendition it is: the inputs of the content key. */
export interface TrackIdentity {
  recipientPublicKey: Uint8Array;
  applianceId: string;
  trackId: string;
  renditionVersion: number;
}

/**
 * Content key K = BLAKE2b-256(key = hub secret, "roomtone-track-key-v1" || recipient X25519 key || u16 len ||
 * appliance id || u16 len || track id || u32 rendition version).
 */
export function deriveContentKey(sodium: Sodium, hubSecret: Uint8Array, id: TrackIdentity): Uint8Array {
  const appliance = Buffer.from(id.applianceId, 'utf8');
  const track = Buffer.from(id.trackId, 'utf8');
  const msg = Buffer.concat([
    CTX_CONTENT_KEY,
    id.recipientPublicKey,
    u16(appliance.length),
    appliance,
    u16(track.length),
    track,
    u32(id.renditionVersion),
  ]);
  return sodium.blake2b(32, msg, hubSecret);
}

/** Ephemeral X25519 secret = BLAKE2b-256(key = K, "roomtone-track-ephemeral-v1"). */
export function deriveEphemeralSecret(sodium: Sodium, contentKey: Uint8Array): Uint8Array {
  return sodium.blake2b(32, CTX_EPHEMERAL, contentKey);
}

/** File nonce = BLAKE2b-192(key = K, "roomtone-track-nonce-v1" || u32 chunk size || u64 length || SHA-256). */
export function deriveFileNonce(
  sodium: Sodium,
  contentKey: Uint8Array,
  chunkSize: number,
  plaintextLength: number,
  sha256: Uint8Array,
): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64BE(BigInt(plaintextLength));
  return Buffer.from(sodium.blake2b(24, Buffer.concat([CTX_FILE_NONCE, u32(chunkSize), len, sha256]), contentKey));
}

/** Key-encryption key = BLAKE2b-256(key = X25519 shared secret, "roomtone-track-kek-v1" || ephemeral pk || recipient pk). */
export function deriveKek(
  sodium: Sodium,
  shared: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  recipientPublicKey: Uint8Array,
): Uint8Array {
  return sodium.blake2b(32, Buffer.concat([CTX_KEK, ephemeralPublicKey, recipientPublicKey]), shared);
}

/** Nonce of the key wrap = BLAKE2b-192 (unkeyed) of the header prefix it authenticates. */
export function wrapNonce(sodium: Sodium, headerPrefix: Uint8Array): Uint8Array {
  return sodium.blake2b(24, headerPrefix);
}

/** Header hash bound into every chunk = BLAKE2b-256 (unkeyed) of the whole header. */
export function headerHash(sodium: Sodium, header: Uint8Array): Buffer {
  return Buffer.from(sodium.blake2b(32, header));
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
