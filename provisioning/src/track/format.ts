import { ProvisioningError } from '../errors';

// Layout constants of the encrypted-track format, version 1. provisioning/FORMAT.md is the specification; this
// file must agree with it byte for byte (the test vectors check both).

/** "RTTK": Roomtone track. */
export const MAGIC = Buffer.from('RTTK', 'ascii');
/** The only format version this code writes and reads. */
export const FORMAT_VERSION = 1;
/** Default plaintext bytes per chunk. */
export const DEFAULT_CHUNK_SIZE = 65_536;
/** Smallest chunk size a header may declare. */
export const MIN_CHUNK_SIZE = 1_024;
/** Largest chunk size a header may declare (bounds a reader's memory per chunk). */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** Poly1305 tag appended to every AEAD output. */
export const TAG_BYTES = 16;
/** Size of the wrapped content key at the end of the header (32-byte key + tag). */
export const WRAPPED_KEY_BYTES = 32 + TAG_BYTES;
/** Offset of the appliance id length field; every field before it has a fixed size. */
export const FIXED_PART = 144;
/** Longest appliance or track id, in UTF-8 bytes. */
export const MAX_ID_BYTES = 255;
/** Largest possible header. */
export const MAX_HEADER_BYTES = FIXED_PART + 2 + MAX_ID_BYTES + 2 + MAX_ID_BYTES + WRAPPED_KEY_BYTES;
/** Smallest possible header (empty appliance id, one-byte track id). */
export const MIN_HEADER_BYTES = FIXED_PART + 2 + 0 + 2 + 1 + WRAPPED_KEY_BYTES;

/** The public fields of a track header (everything but the wrapped key's contents is readable without a key). */
export interface TrackHeader {
  version: number;
  headerLength: number;
  chunkSize: number;
  plaintextLength: number;
  renditionVersion: number;
  plaintextSha256: Buffer;
  fileNonce: Buffer;
  recipientPublicKey: Buffer;
  ephemeralPublicKey: Buffer;
  applianceId: string;
  trackId: string;
  wrappedKey: Buffer;
  /** The exact header bytes. */
  bytes: Buffer;
}

/** Number of chunks: ceil(L / C), and at least one (an empty track has one empty final chunk). */
export function chunkCount(h: Pick<TrackHeader, 'plaintextLength' | 'chunkSize'>): number {
  return Math.max(1, Math.ceil(h.plaintextLength / h.chunkSize));
}

/** Plaintext bytes in chunk `index`. */
export function chunkPlaintextLength(h: Pick<TrackHeader, 'plaintextLength' | 'chunkSize'>, index: number): number {
  const last = chunkCount(h) - 1;
  return index < last ? h.chunkSize : h.plaintextLength - last * h.chunkSize;
}

/** Byte offset of chunk `index` in the file: header length + index x (chunk size + 16). */
export function chunkOffset(h: Pick<TrackHeader, 'headerLength' | 'chunkSize'>, index: number): number {
  return h.headerLength + index * (h.chunkSize + TAG_BYTES);
}

/** Total size of the encrypted file. */
export function encryptedLength(h: Pick<TrackHeader, 'headerLength' | 'chunkSize' | 'plaintextLength'>): number {
  return h.headerLength + h.plaintextLength + chunkCount(h) * TAG_BYTES;
}

/** Serializes every header field up to (not including) the wrapped key: the bytes the key wrap authenticates. */
export function encodeHeaderPrefix(h: Omit<TrackHeader, 'wrappedKey' | 'bytes' | 'headerLength' | 'version'>): Buffer {
  const appliance = Buffer.from(h.applianceId, 'utf8');
  const track = Buffer.from(h.trackId, 'utf8');
  if (appliance.length > MAX_ID_BYTES || track.length === 0 || track.length > MAX_ID_BYTES) {
    throw new ProvisioningError(
      'TRACK_INPUT_INVALID',
      `appliance and track ids must be at most ${MAX_ID_BYTES} bytes of UTF-8 (track id not empty)`,
    );
  }
  const headerLength = FIXED_PART + 2 + appliance.length + 2 + track.length + WRAPPED_KEY_BYTES;
  const out = Buffer.alloc(headerLength - WRAPPED_KEY_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt16BE(FORMAT_VERSION, 4);
  out.writeUInt16BE(headerLength, 6);
  out.writeUInt32BE(h.chunkSize, 8);
  out.writeBigUInt64BE(BigInt(h.plaintextLength), 12);
  out.writeUInt32BE(h.renditionVersion, 20);
  h.plaintextSha256.copy(out, 24);
  h.fileNonce.copy(out, 56);
  h.recipientPublicKey.copy(out, 80);
  h.ephemeralPublicKey.copy(out, 112);
  out.writeUInt16BE(appliance.length, FIXED_PART);
  appliance.copy(out, FIXED_PART + 2);
  out.writeUInt16BE(track.length, FIXED_PART + 2 + appliance.length);
  track.copy(out, FIXED_PART + 4 + appliance.length);
  return out;
}

/**
 * Reads the header length from the first 8 bytes (after checking magic and version), so a reader knows how many
 * bytes to fetch before {@link parseHeader}. Null when fewer than 8 bytes are given.
 */
export function peekHeaderLength(prefix: Uint8Array): number | null {
  if (prefix.length < 8) return null;
  const b = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.length);
  if (!b.subarray(0, 4).equals(MAGIC)) {
    throw new ProvisioningError(
      'TRACK_NOT_A_TRACK',
      'not a Roomtone encrypted track (bad magic bytes): check the --in file',
    );
  }
  const version = b.readUInt16BE(4);
  if (version !== FORMAT_VERSION) {
    throw new ProvisioningError(
      'TRACK_UNSUPPORTED_VERSION',
      `unsupported version: track format version ${version}, this software reads version ${FORMAT_VERSION}; update the appliance software`,
      { version },
    );
  }
  const length = b.readUInt16BE(6);
  if (length < MIN_HEADER_BYTES || length > MAX_HEADER_BYTES) throw malformed(`header length ${length}`);
  return length;
}

/** Parses and range-checks a header. `bytes` must hold at least the whole header; extra bytes are ignored. */
export function parseHeader(bytes: Uint8Array): TrackHeader {
  const headerLength = peekHeaderLength(bytes);
  if (headerLength === null || bytes.length < headerLength) {
    throw new ProvisioningError(
      'TRACK_TRUNCATED',
      'truncated: the encrypted track ends inside its header; download it again',
    );
  }
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, headerLength);
  const chunkSize = b.readUInt32BE(8);
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) throw malformed(`chunk size ${chunkSize}`);
  const plaintextLength = b.readBigUInt64BE(12);
  if (plaintextLength > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('plaintext length');
  const applianceLength = b.readUInt16BE(FIXED_PART);
  const trackStart = FIXED_PART + 2 + applianceLength;
  if (applianceLength > MAX_ID_BYTES || trackStart + 2 > headerLength) throw malformed('appliance id length');
  const trackLength = b.readUInt16BE(trackStart);
  if (
    trackLength === 0 ||
    trackLength > MAX_ID_BYTES ||
    trackStart + 2 + trackLength + WRAPPED_KEY_BYTES !== headerLength
  ) {
    throw malformed('track id length');
  }
  const applianceId = strictUtf8(b.subarray(FIXED_PART + 2, trackStart));
  const trackId = strictUtf8(b.subarray(trackStart + 2, trackStart + 2 + trackLength));
  const copy = Buffer.from(b); // detach from the caller's buffer
  return {
    version: FORMAT_VERSION,
    headerLength,
    chunkSize,
    plaintextLength: Number(plaintextLength),
    renditionVersion: b.readUInt32BE(20),
    plaintextSha256: copy.subarray(24, 56),
    fileNonce: copy.subarray(56, 80),
    recipientPublicKey: copy.subarray(80, 112),
    ephemeralPublicKey: copy.subarray(112, 144),
    applianceId,
    trackId,
    wrappedKey: copy.subarray(headerLength - WRAPPED_KEY_BYTES),
    bytes: copy,
  };
}

/** Nonce of chunk `index`: the file nonce with its last 8 bytes XORed with the big-endian index. */
export function chunkNonce(fileNonce: Buffer, index: number): Buffer {
  return writeChunkNonce(Buffer.alloc(24), fileNonce, index);
}

/** {@link chunkNonce} into `out` (24 bytes), without allocating: the per-chunk hot path. */
export function writeChunkNonce(out: Buffer, fileNonce: Buffer, index: number): Buffer {
  fileNonce.copy(out, 0, 0, 24);
  const high = Math.floor(index / 0x1_0000_0000);
  out.writeUInt32BE((out.readUInt32BE(16) ^ high) >>> 0, 16);
  out.writeUInt32BE((out.readUInt32BE(20) ^ index) >>> 0, 20);
  return out;
}

/** Associated data of chunk `index`: header hash (32) || index (u64 BE) || final flag (1 byte, 1 = last chunk). */
export function chunkAd(headerHash: Buffer, index: number, final: boolean): Buffer {
  const ad = Buffer.alloc(41);
  headerHash.copy(ad, 0);
  return writeChunkAd(ad, index, final);
}

/** {@link chunkAd} into `out`, whose first 32 bytes already hold the header hash. */
export function writeChunkAd(out: Buffer, index: number, final: boolean): Buffer {
  out.writeUInt32BE(Math.floor(index / 0x1_0000_0000), 32);
  out.writeUInt32BE(index >>> 0, 36);
  out[40] = final ? 1 : 0;
  return out;
}

function strictUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw malformed('id is not UTF-8');
  }
}

function malformed(what: string): ProvisioningError {
  return new ProvisioningError(
    'TRACK_HEADER_MALFORMED',
    `encrypted track header is malformed (${what}): the file is corrupt; download it again`,
  );
}
