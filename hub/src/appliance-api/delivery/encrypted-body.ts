import fs from 'node:fs';
import type { Writable } from 'node:stream';
import {
  chunkOffset,
  chunkPlaintextLength,
  DEFAULT_CHUNK_SIZE,
  encryptedLength,
  type TrackEncryptor,
} from '@roomtone/provisioning';
import { sliced } from './slices';

/** Poly1305 tag after each chunk's ciphertext (FORMAT.md). */
const TAG_BYTES = 16;

/**
 * Chunks read, sealed and written per step once a download is under way: one positional read (preadv) and one socket
 * write of 8 x 64 KiB. The first step of a download covers one chunk only, so its first bytes leave quickly.
 */
const CHUNKS_PER_BATCH = 8;

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
 * Batch buffers for the default chunk size, reused across downloads: a download holds one from its read until the
 * socket has taken the batch (the write's callback), so memory is one batch per download in flight, whatever the file
 * size or the client's speed. A few free ones are kept; the rest go to the garbage collector.
 */
const pool: Buffer[] = [];
const POOL_KEEP = 32;
const POOLED_BYTES = CHUNKS_PER_BATCH * (DEFAULT_CHUNK_SIZE + TAG_BYTES);

function takeBuffer(bytes: number): Buffer {
  if (bytes === POOLED_BYTES) return pool.pop() ?? Buffer.allocUnsafeSlow(POOLED_BYTES);
  return Buffer.allocUnsafeSlow(bytes);
}

function giveBack(buffer: Buffer): void {
  if (buffer.length === POOLED_BYTES && pool.length < POOL_KEEP) pool.push(buffer);
}

/**
 * Writes bytes [start, end] of the encrypted file `encryptor` describes to `out` and ends it. The plaintext is read
 * from `file` with positional vectored reads straight into a buffer laid out like the encrypted file (each chunk
 * followed by a 16-byte gap for its tag), sealed in place, and handed to the socket in one write per batch: no copy or
 * allocation per chunk. Only the chunks the range covers are read and encrypted.
 *
 * Back-pressure: the next batch is read only once the socket has taken the previous one (the write's callback), so a
 * slow client holds one batch. Fairness: sealing and writing run in short slices shared by all downloads
 * ({@link sliced}), so a new request's guard and lookups are not stuck behind other downloads' encryption.
 *
 * The format header, when the range starts in it, is written at once, before the file is even opened: a download's
 * first bytes leave as soon as it is authorised. Resolves when the body is written, or when `out` closes early (the
 * client went away); rejects when the file cannot be read as the facts describe it. Closes the file in every case.
 * `onBytes` counts what was handed to the socket.
 */
export function sendEncryptedRange(
  encryptor: TrackEncryptor,
  file: string,
  expectedLength: number,
  range: EncryptedRange,
  out: Writable,
  onBytes: (count: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) =>
    new EncryptedSend(encryptor, file, expectedLength, range, out, onBytes, resolve, reject).start(),
  );
}

class EncryptedSend {
  private readonly H: number;
  private readonly C: number;
  private readonly stride: number;
  private fd = -1;
  /** Next chunk to read, and the last one the range covers. */
  private next = 0;
  private last = -1;
  private buffer: Buffer | null = null;
  /** An fs call in flight (it holds the file and writes into the buffer): cleanup waits for it. */
  private busy = false;
  /**
   * A socket write in flight. Cleanup does not wait for it: node:http drops the callback of a write made just as the
   * connection closes, so after 'close' the write is abandoned (and its buffer left to the garbage collector).
   */
  private writing = false;
  private settled = false;
  private failure: Error | null = null;

  constructor(
    private readonly encryptor: TrackEncryptor,
    private readonly file: string,
    private readonly expectedLength: number,
    private readonly range: EncryptedRange,
    private readonly out: Writable,
    private readonly onBytes: (count: number) => void,
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {
    const header = encryptor.header;
    this.H = header.headerLength;
    this.C = header.chunkSize;
    this.stride = this.C + TAG_BYTES;
  }

  start(): void {
    const { range, out, H } = this;
    this.out.once('close', this.onClose);
    if (range.start < H) {
      const piece = this.encryptor.header.bytes.subarray(range.start, Math.min(H, range.end + 1));
      this.onBytes(piece.length);
      if (range.end < H) {
        out.end(piece);
        this.finish();
        return;
      }
      out.write(piece);
    } else {
      const flush = (out as Writable & { flushHeaders?: () => void }).flushHeaders;
      flush?.call(out);
    }
    this.next = Math.floor((Math.max(range.start, H) - H) / this.stride);
    this.last = Math.min(this.encryptor.chunks - 1, Math.floor((range.end - H) / this.stride));
    this.busy = true;
    fs.open(this.file, 'r', (error, fd) => {
      this.busy = false;
      if (error) return this.fail(error);
      this.fd = fd;
      if (this.stopped()) return;
      try {
        const { size } = fs.fstatSync(fd);
        if (size !== this.expectedLength) {
          throw new Error(`${this.file} has ${size} bytes, its recorded rendition facts say ${this.expectedLength}`);
        }
      } catch (e) {
        return this.fail(e as Error);
      }
      this.read(1);
    });
  }

  /** Reads the plaintext of up to `count` chunks from `next` into a batch buffer, at their places in the file. */
  private read(count: number): void {
    const { C, stride } = this;
    const header = this.encryptor.header;
    const first = this.next;
    const last = Math.min(this.last, first + count - 1);
    const buffer = (this.buffer ??= takeBuffer(CHUNKS_PER_BATCH * stride));
    const views: Buffer[] = [];
    let wanted = 0;
    for (let i = first; i <= last; i++) {
      const length = chunkPlaintextLength(header, i);
      views.push(buffer.subarray((i - first) * stride, (i - first) * stride + length));
      wanted += length;
    }
    if (count === 1) {
      // A download's first read goes through the thread pool: the file may not be in the page cache yet (this read
      // also starts the kernel's read-ahead). It then goes ahead of other downloads' batches: it carries the first
      // bytes.
      this.busy = true;
      readFully(this.fd, views, first * C, wanted, (error) => {
        this.busy = false;
        if (error) return this.fail(error);
        if (this.stopped()) return;
        sliced(wanted, () => this.sealAndWrite(first, last), true);
      });
      return;
    }
    // Later reads are synchronous, in the slice that seals and writes them: the file is in the page cache (read-ahead)
    // and a thread-pool round trip per batch (hand-off, wake-ups, completion) cost ~15% more hub CPU per GB than the
    // read itself (bench/results/delivery.md). A page-cache miss stalls the event loop for one batch's read.
    sliced(wanted, () => {
      if (this.stopped()) return;
      try {
        readFullySync(this.fd, views, first * C, wanted);
      } catch (error) {
        return this.fail(error as Error);
      }
      this.sealAndWrite(first, last);
    });
  }

  /** Seals chunks first..last in place and hands the covered bytes to the socket in one write. */
  private sealAndWrite(first: number, last: number): void {
    if (this.stopped()) return;
    const { encryptor, stride, range } = this;
    const header = encryptor.header;
    const buffer = this.buffer as Buffer;
    try {
      for (let i = first; i <= last; i++) {
        const at = (i - first) * stride;
        const length = chunkPlaintextLength(header, i);
        encryptor.encryptChunkInto(i, buffer.subarray(at, at + length), buffer.subarray(at, at + length + TAG_BYTES));
      }
    } catch (error) {
      return this.fail(error as Error);
    }
    // The batch's bytes in the file: from chunk `first`'s offset to the end of chunk `last` (the final one is short).
    const base = chunkOffset(header, first);
    const end = chunkOffset(header, last) + chunkPlaintextLength(header, last) + TAG_BYTES;
    const from = Math.max(range.start, base) - base;
    const to = Math.min(range.end + 1, end) - base;
    const piece = buffer.subarray(from, to);
    this.onBytes(piece.length);
    this.next = last + 1;
    const done = this.next > this.last;
    this.writing = true;
    this.out.write(piece, (error) => {
      this.writing = false;
      if (error) return this.fail(error);
      if (this.stopped()) return;
      if (done) return this.finish();
      this.read(CHUNKS_PER_BATCH);
    });
    if (done) this.out.end();
  }

  /** True (and cleans up) when the client went away or the send failed: nothing more is read or written. */
  private stopped(): boolean {
    if (!this.settled && !this.out.destroyed && this.failure === null) return false;
    this.finish();
    return true;
  }

  private readonly onClose = (): void => {
    // The client went away (or the response finished): release what no call is still using.
    if (!this.busy) this.finish();
  };

  private fail(error: Error): void {
    this.failure ??= error;
    this.finish();
  }

  /** Releases the buffer and the file once no fs call is in flight, then settles. */
  private finish(): void {
    if (this.busy || this.settled) return;
    this.settled = true;
    this.out.off('close', this.onClose);
    if (this.buffer && !this.writing) giveBack(this.buffer);
    this.buffer = null;
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed: nothing to release
      }
      this.fd = -1;
    }
    // A write error means the client went away: not a failure of the send. A read error is.
    if (this.failure && !this.out.destroyed) this.reject(this.failure);
    else this.resolve();
  }
}

/** preadv of `views` from `position` until `wanted` bytes are in (a short read continues where it stopped). */
function readFully(
  fd: number,
  views: Buffer[],
  position: number,
  wanted: number,
  callback: (error: Error | null) => void,
): void {
  fs.readv(fd, views, position, (error, bytesRead) => {
    if (error) return callback(error);
    if (bytesRead === wanted) return callback(null);
    if (bytesRead === 0) return callback(ended(position, wanted));
    readFully(fd, after(views, bytesRead), position + bytesRead, wanted - bytesRead, callback);
  });
}

/** {@link readFully}, synchronously. */
function readFullySync(fd: number, views: Buffer[], position: number, wanted: number): void {
  for (;;) {
    const bytesRead = fs.readvSync(fd, views, position);
    if (bytesRead === wanted) return;
    if (bytesRead === 0) throw ended(position, wanted);
    views = after(views, bytesRead);
    position += bytesRead;
    wanted -= bytesRead;
  }
}

function ended(position: number, wanted: number): Error {
  return new Error(`rendition file ended at byte ${position}, expected ${wanted} more`);
}

/** What is left of `views` once their first `skip` bytes are filled. */
function after(views: Buffer[], skip: number): Buffer[] {
  const rest: Buffer[] = [];
  for (const view of views) {
    if (skip >= view.length) skip -= view.length;
    else {
      rest.push(skip > 0 ? view.subarray(skip) : view);
      skip = 0;
    }
  }
  return rest;
}
