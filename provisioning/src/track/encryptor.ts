import { ProvisioningError } from '../errors';
import type { Sodium } from '../sodium/backend';
import {
  writeChunkAd,
  writeChunkNonce,
  chunkCount,
  chunkPlaintextLength,
  DEFAULT_CHUNK_SIZE,
  encodeHeaderPrefix,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  parseHeader,
  TAG_BYTES,
  type TrackHeader,
} from './format';
import {
  deriveContentKey,
  deriveEphemeralSecret,
  deriveFileNonce,
  deriveKek,
  headerHash,
  wrapNonce,
} from './key-schedule';

/** What to encrypt and for whom. */
export interface EncryptionParams {
  /** 32-byte hub secret (keyed-hash key of the content-key derivation). */
  hubSecret: Uint8Array;
  /** The appliance's X25519 public key. */
  recipientPublicKey: Uint8Array;
  /** The appliance id ('' for an appliance not yet enrolled). */
  applianceId: string;
  trackId: string;
  /** Changes whenever the rendition's bytes change (so a key never encrypts two different plaintexts). */
  renditionVersion: number;
  plaintextLength: number;
  /** SHA-256 of the plaintext (the hub has it from ingest; {@link hashFile} computes it otherwise). */
  plaintextSha256: Uint8Array;
  chunkSize?: number;
}

/**
 * Hub side: produces the header and any chunk, in any order, deterministically (the same params always give the
 * same bytes, so an HTTP Range request can be served by encrypting only the chunks it covers).
 */
export class TrackEncryptor {
  readonly header: TrackHeader;
  readonly chunks: number;
  readonly #key: Uint8Array;
  readonly #hash: Buffer;
  // Reused for every chunk: the sodium call reads them synchronously before returning.
  readonly #nonce = Buffer.alloc(24);
  readonly #ad = Buffer.alloc(41);

  constructor(
    private readonly sodium: Sodium,
    params: EncryptionParams,
  ) {
    const chunkSize = params.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
      throw invalid(`chunk size must be an integer from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE}`);
    }
    if (params.hubSecret.length !== 32) throw invalid('hub secret must be 32 bytes');
    if (params.recipientPublicKey.length !== 32) throw invalid('recipient X25519 public key must be 32 bytes');
    if (params.plaintextSha256.length !== 32) throw invalid('plaintext SHA-256 must be 32 bytes');
    if (!Number.isSafeInteger(params.plaintextLength) || params.plaintextLength < 0) throw invalid('plaintext length');
    if (
      !Number.isInteger(params.renditionVersion) ||
      params.renditionVersion < 0 ||
      params.renditionVersion > 0xffffffff
    ) {
      throw invalid('rendition version must be an integer from 0 to 4294967295');
    }
    const key = deriveContentKey(sodium, params.hubSecret, params);
    const ephemeralSecret = deriveEphemeralSecret(sodium, key);
    const ephemeralPublicKey = Buffer.from(sodium.x25519Base(ephemeralSecret));
    const shared = sodium.x25519(ephemeralSecret, params.recipientPublicKey);
    if (!shared) throw invalid('recipient X25519 public key is a low-order point');
    const recipientPublicKey = Buffer.from(params.recipientPublicKey);
    const plaintextSha256 = Buffer.from(params.plaintextSha256);
    const fileNonce = deriveFileNonce(sodium, key, chunkSize, params.plaintextLength, plaintextSha256);
    const prefix = encodeHeaderPrefix({
      chunkSize,
      plaintextLength: params.plaintextLength,
      renditionVersion: params.renditionVersion,
      plaintextSha256,
      fileNonce,
      recipientPublicKey,
      ephemeralPublicKey,
      applianceId: params.applianceId,
      trackId: params.trackId,
    });
    const kek = deriveKek(sodium, shared, ephemeralPublicKey, recipientPublicKey);
    const wrapped = sodium.aeadEncrypt(key, prefix, wrapNonce(sodium, prefix), kek);
    this.header = parseHeader(Buffer.concat([prefix, wrapped]));
    this.chunks = chunkCount(this.header);
    this.#key = key;
    this.#hash = headerHash(sodium, this.header.bytes);
    this.#hash.copy(this.#ad, 0);
  }

  /** Encrypts chunk `index` (its plaintext must be exactly that chunk's bytes): ciphertext || tag. */
  encryptChunk(index: number, plaintext: Uint8Array): Uint8Array {
    const final = this.check(index, plaintext);
    return this.sodium.aeadEncrypt(
      plaintext,
      writeChunkAd(this.#ad, index, final),
      writeChunkNonce(this.#nonce, this.header.fileNonce, index),
      this.#key,
    );
  }

  /**
   * {@link encryptChunk} into `out` (exactly the plaintext's length + 16 bytes), allocating nothing. `out` may begin
   * at the plaintext's first byte: the chunk is then encrypted in place and its tag written just after it, which is
   * how the hub serves a range (plaintext read into a buffer laid out like the file, chunk by chunk with 16-byte
   * gaps, then sealed where it lies).
   */
  encryptChunkInto(index: number, plaintext: Uint8Array, out: Uint8Array): void {
    const final = this.check(index, plaintext);
    if (out.length !== plaintext.length + TAG_BYTES) {
      throw invalid(`chunk ${index} output must have ${plaintext.length + TAG_BYTES} bytes, got ${out.length}`);
    }
    this.sodium.aeadEncryptInto(
      out,
      plaintext,
      writeChunkAd(this.#ad, index, final),
      writeChunkNonce(this.#nonce, this.header.fileNonce, index),
      this.#key,
    );
  }

  /** Checks a chunk's index and length; true when it is the final chunk. */
  private check(index: number, plaintext: Uint8Array): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.chunks)
      throw invalid(`chunk index ${index} out of range`);
    if (plaintext.length !== chunkPlaintextLength(this.header, index)) {
      throw invalid(
        `chunk ${index} must have ${chunkPlaintextLength(this.header, index)} bytes, got ${plaintext.length}`,
      );
    }
    return index === this.chunks - 1;
  }
}

function invalid(what: string): ProvisioningError {
  return new ProvisioningError('TRACK_INPUT_INVALID', `cannot encrypt: ${what}`);
}
