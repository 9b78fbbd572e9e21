import { bytesEqual } from '../encoding';
import { ProvisioningError } from '../errors';
import type { SecretBytes } from '../keys/secret-bytes';
import type { Sodium } from '../sodium/backend';
import {
  writeChunkAd,
  writeChunkNonce,
  chunkCount,
  chunkOffset,
  chunkPlaintextLength,
  parseHeader,
  TAG_BYTES,
  type TrackHeader,
} from './format';
import { deriveKek, headerHash, wrapNonce } from './key-schedule';

/** The appliance's side of the key: its X25519 key pair and, once enrolled, its id. */
export interface TrackRecipient {
  publicKey: Uint8Array;
  secretKey: SecretBytes;
  /** The appliance's id; null before enrolment (then only the public key decides). */
  applianceId: string | null;
}

/**
 * Appliance side, random access: opens the header once, then decrypts any chunk on its own (seeking, Range
 * resume). Every chunk is authenticated before its plaintext is returned.
 */
export class TrackDecryptor {
  readonly chunks: number;
  readonly #key: Uint8Array;
  readonly #hash: Buffer;
  // Reused for every chunk: the sodium call reads them synchronously before returning.
  readonly #nonce = Buffer.alloc(24);
  readonly #ad = Buffer.alloc(41);

  private constructor(
    private readonly sodium: Sodium,
    readonly header: TrackHeader,
    key: Uint8Array,
  ) {
    this.chunks = chunkCount(header);
    this.#key = key;
    this.#hash = headerHash(sodium, header.bytes);
    this.#hash.copy(this.#ad, 0);
  }

  /**
   * Parses the header at the start of `bytes`, checks it is meant for `recipient` and unwraps the content key
   * (which authenticates every header field).
   */
  static open(sodium: Sodium, bytes: Uint8Array, recipient: TrackRecipient): TrackDecryptor {
    const header = parseHeader(bytes);
    const forOther =
      !bytesEqual(header.recipientPublicKey, recipient.publicKey) ||
      (recipient.applianceId !== null && header.applianceId !== '' && header.applianceId !== recipient.applianceId);
    if (forOther) {
      throw new ProvisioningError(
        'TRACK_NOT_FOR_THIS_APPLIANCE',
        `not for this appliance: the track is encrypted for ${header.applianceId ? `appliance ${header.applianceId}` : 'another appliance'}; fetch the copy made for this one`,
      );
    }
    const prefix = header.bytes.subarray(0, header.headerLength - header.wrappedKey.length);
    const shared = sodium.x25519(recipient.secretKey.expose(), header.ephemeralPublicKey);
    const key =
      shared &&
      sodium.aeadDecrypt(
        header.wrappedKey,
        prefix,
        wrapNonce(sodium, prefix),
        deriveKek(sodium, shared, header.ephemeralPublicKey, header.recipientPublicKey),
      );
    if (!key || key.length !== 32) {
      throw new ProvisioningError(
        'TRACK_HEADER_TAMPERED',
        'header tampered: the encrypted track header failed authentication; download the file again',
      );
    }
    return new TrackDecryptor(sodium, header, key);
  }

  /** Byte offset of chunk `index` in the file. */
  offsetOf(index: number): number {
    return chunkOffset(this.header, index);
  }

  /** Encrypted size of chunk `index` (plaintext + 16-byte tag). */
  encryptedSizeOf(index: number): number {
    return chunkPlaintextLength(this.header, index) + TAG_BYTES;
  }

  /** Decrypts and authenticates chunk `index`; TRACK_CHUNK_TAMPERED (with the index) when it fails. */
  decryptChunk(index: number, ciphertext: Uint8Array): Uint8Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.chunks) {
      throw new ProvisioningError('TRACK_INPUT_INVALID', `chunk index ${index} out of range (0..${this.chunks - 1})`);
    }
    if (ciphertext.length !== this.encryptedSizeOf(index)) {
      if (ciphertext.length < this.encryptedSizeOf(index)) {
        throw new ProvisioningError(
          'TRACK_TRUNCATED',
          `truncated: chunk ${index} of the encrypted track is incomplete; download it again`,
          { chunk: index },
        );
      }
      throw new ProvisioningError('TRACK_INPUT_INVALID', `chunk ${index} must be ${this.encryptedSizeOf(index)} bytes`);
    }
    const final = index === this.chunks - 1;
    const plain = this.sodium.aeadDecrypt(
      ciphertext,
      writeChunkAd(this.#ad, index, final),
      writeChunkNonce(this.#nonce, this.header.fileNonce, index),
      this.#key,
    );
    if (!plain) {
      throw new ProvisioningError(
        'TRACK_CHUNK_TAMPERED',
        `chunk ${index} tampered: it failed authentication (altered, reordered or from another file); download the file again`,
        { chunk: index },
      );
    }
    return plain;
  }
}
