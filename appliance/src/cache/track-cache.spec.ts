import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock, generateApplianceKeys, loadSodium, saveKeystore, type Sodium } from '@roomtone/provisioning';
import { FakeHub } from '../sync/__fixtures__/fake-hub';
import { HubClient } from '../sync/hub-client';
import { CacheError } from './cache-errors';
import { TrackCache, type TrackCacheOptions, type WriteTarget } from './track-cache';
import type { Timing } from './token-bucket';

let sodium: Sodium;
let hub: FakeHub;
let dir: string;

beforeAll(async () => {
  sodium = await loadSodium();
});
beforeEach(async () => {
  hub = new FakeHub(sodium);
  await hub.start();
  dir = mkdtempSync(join(tmpdir(), 'cache-'));
});
afterEach(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

const hour = 3_600_000;
const at = (ms: number) => new Date(Date.UTC(2026, 2, 29) + ms).toISOString();

function options(extra: Partial<TrackCacheOptions> = {}): TrackCacheOptions {
  const client = new HubClient(hub.keystore, { sodium, clock: new FixedClock(hub.timeMs) });
  return {
    dir: join(dir, 'cache'),
    budgetBytes: 10_000_000,
    sodium,
    recipient: {
      publicKey: hub.keystore.keys.encryption.publicKey,
      secretKey: hub.keystore.keys.encryption.secretKey,
      applianceId: hub.keystore.applianceId,
    },
    fetchTrack: (id, headers, signal) => client.request('GET', `/appliance/v1/tracks/${id}`, { headers, signal }),
    ...extra,
  };
}

async function plain(cache: TrackCache, id: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of cache.open(id)) parts.push(p);
  return Buffer.concat(parts);
}

describe('TrackCache', () => {
  it('downloads, verifies and stores the track encrypted; open() decrypts it in memory; the index survives a reopen', async () => {
    const track = await hub.addTrack(100_000, at(0));
    const cache = await TrackCache.open(options());
    expect(cache.has(track.id)).toBe(false);
    await cache.fetch(track.doc);
    expect(cache.has(track.id)).toBe(true);
    const onDisk = readFileSync(join(dir, 'cache', `${track.id}.rtt`));
    expect(onDisk.equals(track.encrypted)).toBe(true);
    expect(readdirSync(join(dir, 'cache')).sort()).toEqual([`${track.id}.rtt`, 'index.json'].sort());
    expect((await plain(cache, track.id)).equals(track.plain)).toBe(true);
    const again = await TrackCache.open(options());
    expect(again.has(track.id)).toBe(true);
    expect(again.stats()).toMatchObject({ tracks: 1, bytes: track.encrypted.length });
  });

  it('resumes an interrupted download with Range + If-Range from where the partial file ends', async () => {
    const track = await hub.addTrack(300_000, at(0));
    const cache = await TrackCache.open(options());
    hub.cutAfter = 120_000;
    await expect(cache.fetch(track.doc)).rejects.toThrow();
    const part = readFileSync(join(dir, 'cache', `${track.id}.rtt.part`));
    expect(part.length).toBeGreaterThan(0);
    expect(part.length).toBeLessThanOrEqual(120_000);
    await cache.fetch(track.doc);
    const last = hub.requests[hub.requests.length - 1];
    expect(last.headers.range).toBe(`bytes=${part.length}-`);
    expect(last.headers['if-range']).toBe(track.etag);
    expect(hub.bytesServed).toBe(120_000 + track.encrypted.length - part.length);
    expect((await plain(cache, track.id)).equals(track.plain)).toBe(true);
  });

  it('restarts from zero when the ETag no longer matches (If-Range answered with the whole body)', async () => {
    const track = await hub.addTrack(200_000, at(0));
    const cache = await TrackCache.open(options());
    // A partial download of an older rendition (its ETag no longer the hub's).
    writeFileSync(join(dir, 'cache', `${track.id}.rtt.part`), track.encrypted.subarray(0, 50_000));
    writeFileSync(join(dir, 'cache', `${track.id}.rtt.part.etag`), '"an-older-rendition"');
    await cache.fetch(track.doc);
    const last = hub.requests[hub.requests.length - 1];
    expect(last.headers).toMatchObject({ range: 'bytes=50000-', 'if-range': '"an-older-rendition"' });
    expect(hub.bytesServed).toBe(track.encrypted.length);
    expect((await plain(cache, track.id)).equals(track.plain)).toBe(true);
  });

  it('a corrupt cached entry is detected while playing, deleted, and fetched again', async () => {
    const track = await hub.addTrack(100_000, at(0));
    const cache = await TrackCache.open(options());
    await cache.fetch(track.doc);
    const path = join(dir, 'cache', `${track.id}.rtt`);
    const bytes = readFileSync(path);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(path, bytes);
    await expect(plain(cache, track.id)).rejects.toThrow(/chunk \d+ tampered/);
    expect(cache.has(track.id)).toBe(false);
    expect(existsSync(path)).toBe(false);
    expect(cache.errors[0].message).toMatch(/corrupt/);
    await cache.fetch(track.doc);
    expect((await plain(cache, track.id)).equals(track.plain)).toBe(true);
  });

  it('a cached file with the wrong size is dropped when the cache opens', async () => {
    const track = await hub.addTrack(50_000, at(0));
    let cache = await TrackCache.open(options());
    await cache.fetch(track.doc);
    writeFileSync(join(dir, 'cache', `${track.id}.rtt`), track.encrypted.subarray(0, 1000));
    cache = await TrackCache.open(options());
    expect(cache.has(track.id)).toBe(false);
  });

  it('a download damaged in transit fails verification, leaves nothing, and the next fetch succeeds', async () => {
    const track = await hub.addTrack(100_000, at(0));
    const cache = await TrackCache.open(options());
    hub.corruptAt = 50_000;
    await expect(cache.fetch(track.doc)).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(readdirSync(join(dir, 'cache'))).toEqual(['index.json']);
    hub.corruptAt = null;
    await cache.fetch(track.doc);
    expect(cache.has(track.id)).toBe(true);
  });

  it("refuses a file whose plaintext SHA-256 is not the plan's, and one encrypted for another appliance", async () => {
    const track = await hub.addTrack(20_000, at(0));
    const cache = await TrackCache.open(options());
    await expect(cache.fetch({ ...track.doc, sha256: 'ab'.repeat(32) })).rejects.toThrow(/SHA-256/);
    const other = await hub.addTrack(20_000, at(0), generateApplianceKeys(sodium).encryption.publicKey);
    await expect(cache.fetch(other.doc)).rejects.toThrow(/not for this appliance/);
    expect(cache.stats().tracks).toBe(0);
  });

  it('over budget: evicts what no plan needs first, then what is needed latest; never what is playing', async () => {
    const [a, b, c, d, e, f] = await Promise.all([0, 1, 2, 3, 4, 5].map(() => hub.addTrack(30_000, at(0))));
    const size = a.encrypted.length;
    const cache = await TrackCache.open(options({ budgetBytes: size * 3 }));
    cache.setWanted([]);
    for (const t of [a, b, c]) await cache.fetch(t.doc);
    // Plan: a is not needed; b at +2 h, c at +1 h, d now.
    cache.setWanted([
      { id: b.id, neededFrom: at(2 * hour) },
      { id: c.id, neededFrom: at(hour) },
      { id: d.id, neededFrom: at(0) },
      { id: e.id, neededFrom: at(0.5 * hour) },
      { id: f.id, neededFrom: at(3 * hour) },
    ]);
    await cache.fetch(d.doc);
    expect([a, b, c, d].map((t) => cache.has(t.id))).toEqual([false, true, true, true]);
    // c is playing: e (needed at +0.5 h) may evict only later tracks, b (+2 h) first; c stays while playing.
    const playing = cache.open(c.id)[Symbol.asyncIterator]();
    await playing.next();
    await cache.fetch(e.doc);
    expect([b, c, d, e].map((t) => cache.has(t.id))).toEqual([false, true, true, true]);
    // f (+3 h) would need evicting something needed sooner: refused, nothing evicted.
    await expect(cache.fetch(f.doc)).rejects.toMatchObject({ code: 'OVER_BUDGET' });
    expect([c, d, e].map((t) => cache.has(t.id))).toEqual([true, true, true]);
    await playing.return?.(undefined);
  });

  it('two concurrent downloads cannot both claim the same room: the budget holds', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => hub.addTrack(30_000, at(0))));
    const cache = await TrackCache.open(options({ budgetBytes: a.encrypted.length + 1_000 }));
    cache.setWanted([
      { id: a.id, neededFrom: at(0) },
      { id: b.id, neededFrom: at(hour) },
    ]);
    const results = await Promise.allSettled([cache.fetch(a.doc), cache.fetch(b.doc)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'OVER_BUDGET' });
    expect(cache.stats().bytes).toBeLessThanOrEqual(a.encrypted.length + 1_000);
  });

  it('disk full (ENOSPC) while downloading: removes the partial file, evicts unneeded tracks, reports, does not crash', async () => {
    const old = await hub.addTrack(40_000, at(0));
    const track = await hub.addTrack(200_000, at(0));
    let failing = true;
    const realOpen = options().openWrite;
    expect(realOpen).toBeUndefined();
    const openWrite = async (path: string, append: boolean): Promise<WriteTarget> => {
      const { promises: fs } = await import('node:fs');
      const handle = await fs.open(path, append ? 'a' : 'w');
      let written = 0;
      return {
        write: async (bytes) => {
          if (failing && written + bytes.length > 64_000) {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          }
          written += bytes.length;
          await handle.write(bytes);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    };
    const cache = await TrackCache.open(options({ openWrite }));
    await cache.fetch(old.doc);
    cache.setWanted([{ id: track.id, neededFrom: at(0) }]);
    await expect(cache.fetch(track.doc)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(cache.has(old.id)).toBe(false);
    expect(readdirSync(join(dir, 'cache'))).toEqual(['index.json']);
    expect(cache.errors[0].message).toMatch(/disk full/);
    failing = false;
    await cache.fetch(track.doc);
    expect((await plain(cache, track.id)).equals(track.plain)).toBe(true);
  });

  it('bandwidth cap: a 400 KB download at 100 KB/s takes about 3 s of (virtual) time after the 1 s burst', async () => {
    const track = await hub.addTrack(400_000, at(0));
    let now = 0;
    let slept = 0;
    const timing: Timing = {
      nowMs: () => now,
      sleep: (ms) => {
        now += ms;
        slept += ms;
        return Promise.resolve();
      },
    };
    const cache = await TrackCache.open(options({ bandwidthBytesPerSecond: 100_000, timing }));
    await cache.fetch(track.doc);
    const bytes = track.encrypted.length;
    // rate * (t + 1 s burst) >= bytes, and no more waiting than one network piece beyond it.
    expect(slept).toBeGreaterThanOrEqual(((bytes - 100_000) / 100_000) * 1000 - 1);
    expect(slept).toBeLessThanOrEqual(((bytes - 100_000) / 100_000) * 1000 + 700);
    expect(cache.has(track.id)).toBe(true);
  });

  it('kill -9 during a download: the restarted cache resumes from the partial file with Range and If-Range', async () => {
    const track = await hub.addTrack(600_000, at(0));
    const keystorePath = join(dir, 'keystore.json');
    await saveKeystore(keystorePath, hub.keystore);
    const cacheDir = join(dir, 'cache');
    const part = join(cacheDir, `${track.id}.rtt.part`);
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '__fixtures__', 'kill-downloader.js'),
        cacheDir,
        hub.url,
        keystorePath,
        JSON.stringify(track.doc),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Poll (with a deadline) until the capped download has written at least 150 kB, then kill it.
    const deadline = Date.now() + 30_000;
    while ((statSync(part, { throwIfNoEntry: false })?.size ?? 0) < 150_000) {
      if (Date.now() > deadline) throw new Error('the child wrote no 150 kB within 30 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    const kept = statSync(part).size;
    expect(kept).toBeLessThan(track.encrypted.length);
    const cache = await TrackCache.open(options());
    expect(cache.has(track.id)).toBe(false);
    await cache.fetch(track.doc);
    const last = hub.requests[hub.requests.length - 1];
    expect(last.headers.range).toBe(`bytes=${kept}-`);
    expect(last.headers['if-range']).toBe(track.etag);
    expect((await plain(cache, track.id)).equals(track.plain)).toBe(true);
  }, 60_000);

  it('an HTTP refusal is a typed error with the status', async () => {
    const track = await hub.addTrack(10_000, at(0));
    hub.tracks.delete(track.id);
    const cache = await TrackCache.open(options());
    const error = (await cache.fetch(track.doc).catch((e: unknown) => e)) as CacheError;
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toMatchObject({ code: 'HTTP', status: 403 });
  });
});
