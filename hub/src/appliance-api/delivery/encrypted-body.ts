import { promises as fs, type promises as fsp } from 'node:fs';
import type { Writable } from 'node:stream';
import { chunkOffset, chunkPlaintextLength, encryptedLength, type TrackEncryptor } from '@roomtone/provisioning';

/**
 * Chunks read, encrypted and written per step: one positional read and one corked write of up to 8 x 64 KiB keeps
 * syscalls few (measured: 4 chunks per read cost noticeably more CPU per byte) and memory per connection flat.
 */
const CHUNKS_PER_READ = 8;

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
 * Writes bytes [start, end] of the encrypted file `encryptor` describes to `out`, reading the plaintext from `handle`
 * with positional reads and encrypting only the chunks the range covers. Back-pressure: after each batch it waits for
 * `out` to drain, so a slow client holds at most a batch in memory; a closed connection ends the loop at the next
 * batch. Closes `handle` in every case. Each batch's chunks are corked into one write. `onBytes` counts what was written.
 */
export async function writeEncryptedRange(
  encryptor: TrackEncryptor,
  handle: fsp.FileHandle,
  range: EncryptedRange,
  out: Writable,
  onBytes: (count: number) => void,
): Promise<void> {
  try {
    const header = encryptor.header;
    const H = header.headerLength;
    const C = header.chunkSize;
    const stride = C + 16;
    if (range.start < H) {
      const piece = Buffer.from(header.bytes).subarray(range.start, Math.min(H, range.end + 1));
      onBytes(piece.length);
      if (!out.write(piece)) await drained(out);
    }
    if (range.end < H) return;
    const first = Math.floor((Math.max(range.start, H) - H) / stride);
    const last = Math.min(encryptor.chunks - 1, Math.floor((range.end - H) / stride));
    const buffer = Buffer.allocUnsafe(C * Math.min(CHUNKS_PER_READ, last - first + 1));
    for (let batch = first; batch <= last; batch += CHUNKS_PER_READ) {
      if (out.destroyed || out.writableEnded) return;
      const batchEnd = Math.min(last, batch + CHUNKS_PER_READ - 1);
      const length = (batchEnd - batch) * C + chunkPlaintextLength(header, batchEnd);
      await readExactly(handle, buffer, length, batch * C);
      if (out.destroyed) return;
      let flowing = true;
      let written = 0;
      out.cork();
      for (let i = batch; i <= batchEnd; i++) {
        const offset = (i - batch) * C;
        const sealed = encryptor.encryptChunk(i, buffer.subarray(offset, offset + chunkPlaintextLength(header, i)));
        const at = chunkOffset(header, i);
        const from = Math.max(range.start, at) - at;
        const to = Math.min(range.end + 1, at + sealed.length) - at;
        const whole = from === 0 && to === sealed.length && Buffer.isBuffer(sealed);
        const piece = whole ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset + from, to - from);
        written += piece.length;
        flowing = out.write(piece) && flowing;
      }
      out.uncork();
      onBytes(written);
      if (!flowing) await drained(out);
    }
  } finally {
    await handle.close();
  }
}

/** Resolves when `out` can take more, or is closed (the caller checks `destroyed`). */
function drained(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
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

async function readExactly(handle: fsp.FileHandle, buffer: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`rendition file ended at byte ${position + done}, expected ${length} more`);
    done += bytesRead;
  }
}
