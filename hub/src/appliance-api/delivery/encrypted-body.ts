import { promises as fs, type promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { chunkOffset, chunkPlaintextLength, encryptedLength, type TrackEncryptor } from '@roomtone/provisioning';

/** Chunks read and encrypted per step: one positional read of up to 4 x 64 KiB keeps syscalls few and memory flat. */
const CHUNKS_PER_READ = 4;

/** An inclusive byte range of the encrypted file. */
export interface EncryptedRange {
  start: number;
  end: number;
}

/** Total size of the encrypted file an encryptor describes (FORMAT.md: H + L + 16 n). */
export function encryptedSize(encryptor: TrackEncryptor): number {
  return encryptedLength(encryptor.header);
}

/**
 * Streams bytes [start, end] of the encrypted file `encryptor` describes, reading the plaintext from `file` with
 * positional reads and encrypting only the chunks the range covers. Pull-driven (Readable.from over an async
 * generator), so a slow client holds at most a few chunks in memory and a closed connection stops the work (the
 * generator's `finally` closes the file). `onBytes` sees every piece handed to the stream.
 */
export function encryptedRangeStream(
  encryptor: TrackEncryptor,
  handle: fsp.FileHandle,
  range: EncryptedRange,
  onBytes: (count: number) => void,
): Readable {
  return Readable.from(pieces(encryptor, handle, range, onBytes), { objectMode: false, highWaterMark: 256 * 1024 });
}

/** Opens the plaintext rendition and checks it still has the length the facts (and so the header) promise. */
export async function openPlaintext(file: string, expectedLength: number): Promise<fsp.FileHandle> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size !== expectedLength) {
      throw new Error(`${file} has ${size} bytes, its recorded rendition facts say ${expectedLength}`);
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function* pieces(
  encryptor: TrackEncryptor,
  handle: fsp.FileHandle,
  range: EncryptedRange,
  onBytes: (count: number) => void,
): AsyncGenerator<Buffer> {
  try {
    const header = encryptor.header;
    const headerBytes = Buffer.from(header.bytes);
    const H = header.headerLength;
    const C = header.chunkSize;
    const stride = C + 16;
    if (range.start < H) {
      const piece = headerBytes.subarray(range.start, Math.min(H, range.end + 1));
      onBytes(piece.length);
      yield piece;
    }
    if (range.end < H) return;
    const first = Math.floor((Math.max(range.start, H) - H) / stride);
    const last = Math.min(encryptor.chunks - 1, Math.floor((range.end - H) / stride));
    const buffer = Buffer.allocUnsafe(C * CHUNKS_PER_READ);
    for (let batch = first; batch <= last; batch += CHUNKS_PER_READ) {
      const batchEnd = Math.min(last, batch + CHUNKS_PER_READ - 1);
      const position = batch * C;
      const length = (batchEnd - batch) * C + chunkPlaintextLength(header, batchEnd);
      await readExactly(handle, buffer, length, position);
      for (let i = batch; i <= batchEnd; i++) {
        const offset = (i - batch) * C;
        const sealed = encryptor.encryptChunk(i, buffer.subarray(offset, offset + chunkPlaintextLength(header, i)));
        const at = chunkOffset(header, i);
        const from = Math.max(range.start, at) - at;
        const to = Math.min(range.end + 1, at + sealed.length) - at;
        const piece = Buffer.from(sealed.buffer, sealed.byteOffset + from, to - from);
        onBytes(piece.length);
        yield piece;
      }
    }
  } finally {
    await handle.close();
  }
}

async function readExactly(handle: fsp.FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`rendition file ended at byte ${position + done}, expected ${length} more`);
    done += bytesRead;
  }
}
