import { createHash } from 'node:crypto';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** base64url without padding (RFC 4648 section 5), the encoding of every key in our JSON files and messages. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
}

/**
 * Strict base64url decoding: null for any character outside the alphabet or a length that no encoding produces,
 * because Buffer.from(..., 'base64url') silently skips garbage and a corrupted key must not decode to other bytes.
 */
export function fromBase64Url(text: unknown, expectedLength?: number): Buffer | null {
  if (typeof text !== 'string' || !BASE64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return null;
  if (expectedLength !== undefined && bytes.length !== expectedLength) return null;
  return bytes;
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** Constant-time-enough equality for public values (lengths differ => false). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * A short, stable identifier for a public key (first 16 bytes of its SHA-256, base64url): what `keyid` fields
 * carry for hub keys, and what logs may show instead of a key.
 */
export function publicKeyId(publicKey: Uint8Array): string {
  return toBase64Url(sha256(publicKey).subarray(0, 16));
}
