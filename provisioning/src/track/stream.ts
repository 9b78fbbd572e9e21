import { createHash } from 'node:crypto';
import { bytesEqual } from '../encoding';
import { ProvisioningError } from '../errors';
import type { Sodium } from '../sodium/backend';
import { TrackDecryptor, type TrackRecipient } from './decryptor';
import type { TrackEncryptor } from './encryptor';
import { chunkPlaintextLength, MAX_HEADER_BYTES, peekHeaderLength } from './format';
import { rechunk } from './rechunk';

/**
 * Streams an encrypted track: the header, then one encrypted chunk per plaintext chunk. Memory stays at about one
 * chunk whatever the track size. The source must deliver exactly the declared plaintext length.
 */
export async function* encryptStream(
  encryptor: TrackEncryptor,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield encryptor.header.bytes;
  let index = 0;
  const sizes = () => (index < encryptor.chunks ? chunkPlaintextLength(encryptor.header, index) : null);
  for await (const piece of rechunk(source, sizes)) {
    if ('extra' in piece || !piece.complete) {
      throw new ProvisioningError(
        'TRACK_INPUT_INVALID',
        `input is ${'extra' in piece ? 'longer' : 'shorter'} than the declared ${encryptor.header.plaintextLength} bytes: it changed while being encrypted`,
      );
    }
    yield encryptor.encryptChunk(index, piece.bytes);
    index++;
  }
}

/**
 * Streams the plaintext of an encrypted track. Each chunk is authenticated before it is yielded (an attacker can
 * never make this release unauthenticated bytes); truncation, trailing bytes and a plaintext hash that differs from
 * the header end the stream with a typed error. Consumers that must not act on a partial track (the decrypt CLI)
 * keep what they receive invisible until the generator completes.
 */
export async function* decryptStream(
  sodium: Sodium,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  recipient: TrackRecipient,
): AsyncGenerator<Uint8Array> {
  let decryptor: TrackDecryptor | null = null;
  let headerWanted: number | null = 8;
  let headerBytes = Buffer.alloc(0);
  let index = 0;
  const hash = createHash('sha256');
  const nextSize = (): number | null => {
    if (!decryptor) return headerWanted;
    return index < decryptor.chunks ? decryptor.encryptedSizeOf(index) : null;
  };
  for await (const piece of rechunk(source, nextSize)) {
    if ('extra' in piece) {
      throw new ProvisioningError(
        'TRACK_TRAILING_DATA',
        'trailing data: the encrypted track has bytes after its final chunk; download it again',
      );
    }
    if (!decryptor) {
      headerBytes = Buffer.concat([headerBytes, piece.bytes]);
      if (!piece.complete)
        throw new ProvisioningError(
          'TRACK_TRUNCATED',
          'truncated: the encrypted track ends inside its header; download it again',
        );
      if (headerWanted === 8) {
        headerWanted = (peekHeaderLength(headerBytes) as number) - 8;
        if (headerWanted > MAX_HEADER_BYTES) throw new ProvisioningError('TRACK_HEADER_MALFORMED', 'header too long');
        continue;
      }
      decryptor = TrackDecryptor.open(sodium, headerBytes, recipient);
      continue;
    }
    if (!piece.complete) {
      throw new ProvisioningError(
        'TRACK_TRUNCATED',
        `truncated: the encrypted track ends at chunk ${index} of ${decryptor.chunks}; download it again`,
        { chunk: index },
      );
    }
    const plain = decryptor.decryptChunk(index, piece.bytes);
    hash.update(plain);
    index++;
    yield plain;
  }
  if (!decryptor)
    throw new ProvisioningError(
      'TRACK_TRUNCATED',
      'truncated: the encrypted track ends inside its header; download it again',
    );
  if (!bytesEqual(hash.digest(), decryptor.header.plaintextSha256)) {
    throw new ProvisioningError(
      'TRACK_HASH_MISMATCH',
      'decrypted track does not match the SHA-256 in its header: the hub encrypted a different file; report it and download again',
    );
  }
}

/** Decrypts a whole track held in memory; returns nothing unless every check passed. */
export async function decryptToBuffer(
  sodium: Sodium,
  encrypted: Uint8Array,
  recipient: TrackRecipient,
): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of decryptStream(sodium, [encrypted], recipient)) parts.push(part);
  return Buffer.concat(parts);
}
