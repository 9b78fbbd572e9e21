import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import {
  decryptStream,
  encryptedLength,
  isProvisioningError,
  peekTrackHeaderLength,
  TrackDecryptor,
  writeFileAtomic,
  type PlanTrackDoc,
  type Sodium,
  type TrackRecipient,
} from '@roomtone/provisioning';
import type { TrackCachePort } from '../daemon/ports';
import { CacheError } from './cache-errors';
import { realTiming, TokenBucket, type Timing } from './token-bucket';

/** One verified track on disk. */
export interface CacheEntry {
  trackId: string;
  /** Encrypted file size in bytes. */
  size: number;
  /** Plaintext SHA-256 (hex) from the verified header. */
  sha256: string;
  renditionVersion: number;
  verified: boolean;
  /** Wall-clock ms of the last open() (or of the download): least recently used goes first among unneeded tracks. */
  lastUsedMs: number;
}

/** Where downloaded bytes go; injectable so a unit test can make a write fail with ENOSPC. */
export interface WriteTarget {
  write(bytes: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface TrackCacheOptions {
  /** `<data dir>/cache`. */
  dir: string;
  budgetBytes: number;
  sodium: Sodium;
  recipient: TrackRecipient;
  /** GET /appliance/v1/tracks/:trackId, signed, with the extra headers (Range, If-Range). */
  fetchTrack: (trackId: string, headers: Record<string, string>, signal?: AbortSignal) => Promise<Response>;
  /** Bandwidth cap for downloads (bytes per second); null or undefined: none. */
  bandwidthBytesPerSecond?: number | null;
  timing?: Timing;
  /** Wall clock (ms) for last-used times and error timestamps. */
  wallMs?: () => number;
  openWrite?: (path: string, append: boolean) => Promise<WriteTarget>;
  /** One JSON log event (never keys). */
  log?: (event: Record<string, unknown>) => void;
}

const INDEX_FILE = 'index.json';
const MAX_ERRORS = 20;

/** Progress of one download, for `status` and the logs. */
export interface DownloadProgress {
  trackId: string;
  bytes: number;
  total: number;
}

/**
 * The encrypted track cache: `<dir>/<trackId>.rtt` files exactly as the hub sent them (encrypted for this appliance),
 * an index (`index.json`, written atomically) and `<trackId>.rtt.part` downloads in progress. Nothing is ever written
 * in plaintext: verification and playback decrypt chunk by chunk in memory.
 */
export class TrackCache implements TrackCachePort {
  private readonly entries = new Map<string, CacheEntry>();
  private wanted = new Map<string, number>();
  private readonly playing = new Map<string, number>();
  private readonly bucket: TokenBucket | null;
  private readonly timing: Timing;
  private readonly wallMs: () => number;
  private indexWrite: Promise<void> = Promise.resolve();
  /** Bytes promised to downloads in flight (counted against the budget until they are installed or fail). */
  private reserved = 0;
  readonly downloads = new Map<string, DownloadProgress>();
  readonly errors: { at: string; message: string }[] = [];

  private constructor(private readonly options: TrackCacheOptions) {
    this.timing = options.timing ?? realTiming;
    this.wallMs = options.wallMs ?? (() => Date.now());
    const rate = options.bandwidthBytesPerSecond;
    this.bucket = rate ? new TokenBucket(rate, this.timing) : null;
  }

  /** Opens the cache: reads the index and drops entries whose file is gone or has the wrong size. */
  static async open(options: TrackCacheOptions): Promise<TrackCache> {
    const cache = new TrackCache(options);
    await fs.mkdir(options.dir, { recursive: true, mode: 0o700 });
    await cache.load();
    return cache;
  }

  get budgetBytes(): number {
    return this.options.budgetBytes;
  }

  has(trackId: string): boolean {
    return this.entries.get(trackId)?.verified === true;
  }

  entry(trackId: string): CacheEntry | undefined {
    return this.entries.get(trackId);
  }

  stats(): { tracks: number; bytes: number; budgetBytes: number; missing: number } {
    let missing = 0;
    for (const id of this.wanted.keys()) if (!this.has(id)) missing++;
    return { tracks: this.entries.size, bytes: this.usedBytes(), budgetBytes: this.options.budgetBytes, missing };
  }

  /** The tracks the current plan needs, with when (epoch ms) each is first needed: the eviction order follows it. */
  setWanted(tracks: Pick<PlanTrackDoc, 'id' | 'neededFrom'>[]): void {
    this.wanted = new Map(tracks.map((t) => [t.id, Date.parse(t.neededFrom)]));
  }

  /** The decrypted track, chunk by chunk, in memory. A chunk that fails authentication deletes the entry. */
  async *open(trackId: string): AsyncGenerator<Uint8Array> {
    const entry = this.entries.get(trackId);
    if (!entry?.verified) throw new CacheError('MISSING', `track ${trackId} is not in the cache`);
    this.playing.set(trackId, (this.playing.get(trackId) ?? 0) + 1);
    entry.lastUsedMs = this.wallMs();
    this.saveIndex();
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.filePath(trackId), 'r');
      const { size } = await handle.stat();
      const decryptor = await readDecryptor(handle, this.options);
      if (size !== encryptedLength(decryptor.header)) {
        throw new CacheError('CORRUPT', `cached track ${trackId} is ${size} bytes, its header says otherwise`);
      }
      for (let i = 0; i < decryptor.chunks; i++) {
        const buffer = Buffer.alloc(decryptor.encryptedSizeOf(i));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, decryptor.offsetOf(i));
        yield decryptor.decryptChunk(i, buffer.subarray(0, bytesRead));
      }
    } catch (error) {
      if (error instanceof CacheError || isProvisioningError(error) || isMissingFile(error)) {
        await this.discard(
          trackId,
          `cached track ${trackId} is corrupt (${(error as Error).message}); fetching it again`,
        );
        throw error instanceof CacheError ? error : new CacheError('CORRUPT', (error as Error).message);
      }
      throw error;
    } finally {
      await handle?.close();
      const n = (this.playing.get(trackId) ?? 1) - 1;
      if (n <= 0) this.playing.delete(trackId);
      else this.playing.set(trackId, n);
    }
  }

  /**
   * Downloads `track` (resuming a partial download with Range + If-Range), verifies it and moves it into place.
   * Makes room first (eviction policy in `makeRoom`). Throws CacheError: DISK_FULL, OVER_BUDGET, CORRUPT, HTTP.
   */
  async fetch(track: PlanTrackDoc, signal?: AbortSignal): Promise<CacheEntry> {
    const existing = this.entries.get(track.id);
    if (existing?.verified && existing.sha256 === track.sha256) return existing;
    if (existing) await this.discard(track.id, null);
    const part = this.partPath(track.id);
    await this.makeRoom(track.downloadBytes, this.wanted.get(track.id) ?? Date.parse(track.neededFrom));
    try {
      return await this.downloadAndInstall(track, part, signal);
    } finally {
      this.reserved -= track.downloadBytes;
    }
  }

  private async downloadAndInstall(track: PlanTrackDoc, part: string, signal?: AbortSignal): Promise<CacheEntry> {
    try {
      await this.download(track, part, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
        await fs.rm(part, { force: true });
        await fs.rm(`${part}.etag`, { force: true });
        const freed = await this.evictUnneeded();
        const message = `disk full while downloading track ${track.id}: removed the partial file, evicted ${freed} unneeded tracks; will retry later`;
        this.recordError(message);
        throw new CacheError('DISK_FULL', message);
      }
      throw error;
    } finally {
      this.downloads.delete(track.id);
    }
    return this.verifyAndInstall(track, part);
  }

  /** Deletes cached tracks (least needed first, never one playing) until the budget holds. */
  async enforceBudget(): Promise<void> {
    await this.makeRoom(0, Number.NEGATIVE_INFINITY).catch(() => undefined); // reserves 0
  }

  /** Waits for pending index writes (tests, shutdown). */
  async flush(): Promise<void> {
    await this.indexWrite;
  }

  private async download(track: PlanTrackDoc, part: string, signal?: AbortSignal): Promise<void> {
    let offset = await fs.stat(part).then(
      (s) => s.size,
      () => 0,
    );
    const etag = await fs.readFile(`${part}.etag`, 'utf8').catch(() => null);
    if (offset > 0 && offset >= track.downloadBytes) return; // complete: verification decides
    const headers: Record<string, string> = {};
    if (offset > 0 && etag) {
      headers.range = `bytes=${offset}-`;
      headers['if-range'] = etag;
    } else {
      offset = 0;
    }
    const response = await this.options.fetchTrack(track.id, headers, signal);
    let append = false;
    if (response.status === 206) {
      const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (Number(start) !== offset) {
        await response.body?.cancel();
        throw new CacheError(
          'HTTP',
          `hub answered range ${response.headers.get('content-range')} for offset ${offset}`,
        );
      }
      append = true;
    } else if (response.status === 200) {
      offset = 0;
      const newEtag = response.headers.get('etag');
      if (newEtag) await writeFileAtomic(`${part}.etag`, newEtag);
      else await fs.rm(`${part}.etag`, { force: true });
    } else {
      const text = await response.text().catch(() => '');
      throw new CacheError(
        'HTTP',
        `download of track ${track.id} refused: ${response.status} ${text.slice(0, 300)}`,
        response.status,
      );
    }
    const progress: DownloadProgress = { trackId: track.id, bytes: offset, total: track.downloadBytes };
    this.downloads.set(track.id, progress);
    const out = await (this.options.openWrite ?? openFileTarget)(part, append);
    try {
      if (response.body) {
        for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
          if (this.bucket) await this.bucket.take(piece.length, signal);
          await out.write(piece);
          progress.bytes += piece.length;
        }
      }
      await out.sync();
    } finally {
      await out.close();
    }
  }

  private async verifyAndInstall(track: PlanTrackDoc, part: string): Promise<CacheEntry> {
    let entry: CacheEntry;
    try {
      entry = await this.verify(track, part);
    } catch (error) {
      await fs.rm(part, { force: true });
      await fs.rm(`${part}.etag`, { force: true });
      const message = `downloaded track ${track.id} failed verification (${(error as Error).message}); it will be fetched again`;
      this.recordError(message);
      throw new CacheError('CORRUPT', message);
    }
    const final = this.filePath(track.id);
    await fs.rename(part, final);
    await fsyncDir(this.options.dir);
    await fs.rm(`${part}.etag`, { force: true });
    this.entries.set(track.id, entry);
    this.saveIndex();
    await this.flush();
    this.options.log?.({ event: 'track-cached', trackId: track.id, bytes: entry.size });
    return entry;
  }

  /**
   * Checks a downloaded file before it counts: the header parses and is for this appliance (its key and id), it is
   * this track, its plaintext SHA-256 is the plan's, the size matches the header, and a full decrypt pass
   * authenticates every chunk and the whole plaintext hash (in memory; nothing is written).
   */
  private async verify(track: PlanTrackDoc, part: string): Promise<CacheEntry> {
    const handle = await fs.open(part, 'r');
    let size: number;
    let renditionVersion: number;
    try {
      size = (await handle.stat()).size;
      const decryptor = await readDecryptor(handle, this.options);
      const header = decryptor.header;
      if (header.trackId !== track.id) throw new Error(`the file is track ${header.trackId}, not ${track.id}`);
      const sha = Buffer.from(header.plaintextSha256).toString('hex');
      if (sha !== track.sha256.toLowerCase())
        throw new Error(`plaintext SHA-256 ${sha} is not the plan's ${track.sha256}`);
      if (size !== encryptedLength(header))
        throw new Error(`file is ${size} bytes, header says ${encryptedLength(header)}`);
      renditionVersion = header.renditionVersion;
      await handle.sync();
    } finally {
      await handle.close();
    }
    for await (const _chunk of decryptStream(this.options.sodium, createReadStream(part), this.options.recipient)) {
      // authenticated and discarded
    }
    return {
      trackId: track.id,
      size,
      sha256: track.sha256.toLowerCase(),
      renditionVersion,
      verified: true,
      lastUsedMs: this.wallMs(),
    };
  }

  /**
   * Eviction: first tracks no plan needs (least recently used first), then needed tracks needed later than
   * `neededFromMs` (latest first); never a track being played. OVER_BUDGET when that is not enough.
   */
  private async makeRoom(incoming: number, neededFromMs: number): Promise<void> {
    const budget = this.options.budgetBytes;
    // Check and reserve with no await in between, so two concurrent downloads cannot both claim the same room.
    const reserveIfRoom = (): boolean => {
      if (this.usedBytes() + this.reserved + incoming > budget) return false;
      this.reserved += incoming;
      return true;
    };
    if (reserveIfRoom()) return;
    const candidates = [...this.entries.values()].filter((e) => !this.playing.has(e.trackId));
    const unneeded = candidates.filter((e) => !this.wanted.has(e.trackId)).sort((a, b) => a.lastUsedMs - b.lastUsedMs);
    const later = candidates
      .filter((e) => (this.wanted.get(e.trackId) ?? Number.NEGATIVE_INFINITY) > neededFromMs)
      .sort((a, b) => this.wanted.get(b.trackId)! - this.wanted.get(a.trackId)!);
    for (const entry of [...unneeded, ...later]) {
      if (reserveIfRoom()) return;
      await this.discard(entry.trackId, null);
      this.options.log?.({ event: 'track-evicted', trackId: entry.trackId, bytes: entry.size });
    }
    if (!reserveIfRoom()) {
      const message = `cache budget ${budget} bytes cannot hold ${incoming} more bytes without evicting tracks needed sooner: raise ROOMTONE_CACHE_BUDGET_MB`;
      this.recordError(message);
      throw new CacheError('OVER_BUDGET', message);
    }
  }

  private async evictUnneeded(): Promise<number> {
    let n = 0;
    for (const entry of [...this.entries.values()]) {
      if (this.wanted.has(entry.trackId) || this.playing.has(entry.trackId)) continue;
      await this.discard(entry.trackId, null);
      n++;
    }
    return n;
  }

  private async discard(trackId: string, why: string | null): Promise<void> {
    this.entries.delete(trackId);
    await fs.rm(this.filePath(trackId), { force: true });
    this.saveIndex();
    await this.flush();
    if (why) this.recordError(why);
  }

  private recordError(message: string): void {
    this.errors.unshift({ at: new Date(this.wallMs()).toISOString(), message });
    this.errors.length = Math.min(this.errors.length, MAX_ERRORS);
    this.options.log?.({ event: 'cache-error', message });
  }

  private usedBytes(): number {
    let total = 0;
    for (const e of this.entries.values()) total += e.size;
    return total;
  }

  private filePath(trackId: string): string {
    return join(this.options.dir, `${safeId(trackId)}.rtt`);
  }

  private partPath(trackId: string): string {
    return `${this.filePath(trackId)}.part`;
  }

  private saveIndex(): void {
    const text = `${JSON.stringify({ version: 1, entries: [...this.entries.values()] }, null, 1)}\n`;
    const path = join(this.options.dir, INDEX_FILE);
    this.indexWrite = this.indexWrite
      .then(() => writeFileAtomic(path, text))
      .catch((error: unknown) => {
        this.recordError(`cannot write the cache index: ${(error as Error).message}`);
      });
  }

  private async load(): Promise<void> {
    let parsed: { entries?: CacheEntry[] } = {};
    try {
      parsed = JSON.parse(await fs.readFile(join(this.options.dir, INDEX_FILE), 'utf8')) as typeof parsed;
    } catch {
      // No index (first start) or a damaged one: files not in the index are removed below and fetched again.
    }
    for (const e of parsed.entries ?? []) {
      const size = await fs.stat(this.filePath(e.trackId)).then(
        (s) => s.size,
        () => -1,
      );
      if (e.verified && size === e.size) this.entries.set(e.trackId, e);
    }
    for (const name of await fs.readdir(this.options.dir)) {
      const m = /^(.+)\.rtt$/.exec(name);
      if (m && !this.entries.has(m[1])) await fs.rm(join(this.options.dir, name), { force: true });
    }
    this.saveIndex();
    await this.flush();
  }
}

async function readDecryptor(
  handle: fs.FileHandle,
  options: Pick<TrackCacheOptions, 'sodium' | 'recipient'>,
): Promise<TrackDecryptor> {
  const first = Buffer.alloc(8);
  await handle.read(first, 0, 8, 0);
  const length = peekTrackHeaderLength(first) ?? 0;
  const header = Buffer.alloc(length);
  await handle.read(header, 0, length, 0);
  return TrackDecryptor.open(options.sodium, header, options.recipient);
}

async function openFileTarget(path: string, append: boolean): Promise<WriteTarget> {
  const handle = await fs.open(path, append ? 'a' : 'w', 0o600);
  return {
    write: async (bytes) => {
      await handle.write(bytes);
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Track ids are uuids; anything else must not escape the cache directory. */
function safeId(trackId: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(trackId))
    throw new CacheError('MISSING', `invalid track id ${JSON.stringify(trackId)}`);
  return trackId;
}
