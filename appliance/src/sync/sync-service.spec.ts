import { mkdtempSync, readdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock, loadSodium, signDocument, type JsonValue, type Sodium } from '@roomtone/provisioning';
import { TrackCache } from '../cache/track-cache';
import { SqlitePlayLog } from '../playlog/play-log';
import { ManualClocks } from '../time';
import { FakeHub } from './__fixtures__/fake-hub';
import { HubClient } from './hub-client';
import { PlayUploader } from './uploader';
import { SyncService } from './sync-service';
import { backoffMs, BACKOFF_CAP_MS, jitteredIntervalMs, type Scheduler } from './timers';

/** A scheduler the test fires by hand; it records every delay asked for. */
class ManualScheduler implements Scheduler {
  delays: number[] = [];
  private pending: (() => void) | null = null;
  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms);
    this.pending = fn;
    return fn;
  }
  clearTimeout(): void {
    this.pending = null;
  }
  /** Runs the pending timer and waits (with a deadline) until the loop scheduled its next one. */
  async fire(): Promise<void> {
    const fn = this.pending;
    if (!fn) throw new Error('nothing scheduled');
    this.pending = null;
    const before = this.delays.length;
    fn();
    const deadline = Date.now() + 10_000;
    while (this.delays.length === before) {
      if (Date.now() > deadline) throw new Error('the sync loop did not schedule its next run within 10 s');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

let sodium: Sodium;
let hub: FakeHub;
let dir: string;
let clocks: ManualClocks;
const opened: { log: SqlitePlayLog; sync: SyncService }[] = [];

beforeAll(async () => {
  sodium = await loadSodium();
});
beforeEach(async () => {
  hub = new FakeHub(sodium);
  await hub.start();
  dir = mkdtempSync(join(tmpdir(), 'sync-'));
  clocks = new ManualClocks(hub.timeMs);
});
afterEach(async () => {
  for (const o of opened.splice(0)) {
    await o.sync.stop();
    o.log.close();
  }
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

const at = (h: number) => new Date(hub.timeMs + h * 3_600_000).toISOString();

async function build(extra: { scheduler?: Scheduler; random?: () => number; concurrency?: number } = {}) {
  const client = new HubClient(hub.keystore, { sodium, clock: new FixedClock(hub.timeMs) });
  const log = new SqlitePlayLog(join(dir, 'playlog.sqlite'));
  const cache = await TrackCache.open({
    dir: join(dir, 'cache'),
    budgetBytes: 50_000_000,
    sodium,
    recipient: {
      publicKey: hub.keystore.keys.encryption.publicKey,
      secretKey: hub.keystore.keys.encryption.secretKey,
      applianceId: hub.keystore.applianceId,
    },
    fetchTrack: (id, headers, signal) => client.request('GET', `/appliance/v1/tracks/${id}`, { headers, signal }),
  });
  const sync = new SyncService({
    dataDir: dir,
    client,
    sodium,
    cache,
    log,
    softwareVersion: '0.1.0-test',
    wall: clocks.wall,
    monotonic: clocks.monotonic,
    scheduler: extra.scheduler,
    random: extra.random ?? (() => 0.5),
    downloadConcurrency: extra.concurrency,
  });
  opened.push({ log, sync });
  return { sync, cache, log };
}

function closePlays(log: SqlitePlayLog, n: number, first = 1): void {
  for (let i = first; i < first + n; i++) {
    const seq = log.begin({
      playId: `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      trackId: '0190a000-0000-7000-8000-00000000000a',
      planId: null,
      programmeId: null,
      blockId: null,
      rule: null,
      startedAt: new Date(hub.timeMs + i * 1000).toISOString(),
      source: 'scheduled',
      quality: 'full',
      offline: false,
    });
    log.end(seq, 1, 'completed');
  }
}

describe('SyncService', () => {
  it('checks in, verifies hub time, licence and plan, prefetches soonest-needed first, and keeps them across a restart', async () => {
    const late = await hub.addTrack(30_000, at(5));
    const soon = await hub.addTrack(30_000, at(1));
    const now = await hub.addTrack(30_000, at(0));
    const plan = hub.setPlan([late.doc, soon.doc, now.doc]);
    const { sync, cache } = await build({ concurrency: 1 });
    expect(sync.online()).toBe(false);
    await sync.checkin();
    await sync.prefetchDone();
    expect(sync.lastHubTime()).toEqual({ hubTimeMs: hub.timeMs, monotonicMs: clocks.monoMs });
    expect(sync.online()).toBe(true);
    expect(sync.plan()?.planId).toBe(plan.planId);
    expect(sync.licence()?.terms.tier).toBe('full');
    expect(sync.track(soon.id)?.sha256).toBe(soon.doc.sha256);
    const downloads = hub.requests
      .filter((r) => r.path.startsWith('/appliance/v1/tracks/'))
      .map((r) => r.path.split('/')[4]);
    expect(downloads).toEqual([now.id, soon.id, late.id]);
    expect(cache.stats()).toMatchObject({ tracks: 3, missing: 0 });
    clocks.advance(60_000 * 1.2 + 31_000);
    expect(sync.online()).toBe(false);

    await hub.stop();
    const restarted = await build();
    expect(restarted.sync.plan()?.planId).toBe(plan.planId);
    expect(restarted.sync.licence()?.applianceId).toBe(hub.keystore.applianceId);
    expect(restarted.sync.lastHubTime()).toBeNull();
    expect(restarted.cache.has(now.id)).toBe(true);
  });

  it('a second check-in with an unchanged plan asks for nothing but the check-in', async () => {
    hub.setPlan([]);
    const { sync } = await build();
    await sync.checkin();
    const before = hub.requests.length;
    await sync.checkin();
    expect(hub.requests.slice(before).map((r) => r.path)).toEqual(['/appliance/v1/checkin']);
  });

  it('refuses hub time signed for another appliance (and stores nothing)', async () => {
    hub.setPlan([]);
    hub.timeApplianceId = '0190a000-0000-7000-8000-0000000000ff';
    const { sync } = await build();
    await expect(sync.checkin()).rejects.toThrow(/signed for appliance .* not this one/);
    expect(sync.plan()).toBeNull();
    expect(sync.lastHubTime()).toBeNull();
  });

  it('refuses a plan for another zone, of another format version, or signed by another key; keeps the last good one', async () => {
    const good = hub.setPlan([]);
    const { sync } = await build();
    await sync.checkin();
    hub.setPlan([], 'zone-2');
    await expect(sync.checkin()).rejects.toThrow(/zone zone-2.*zone zone-1/);
    hub.setPlan([]);
    hub.formatVersion = 3;
    await expect(sync.checkin()).rejects.toThrow(/format version 3 is not supported \(only 2\): update this appliance/);
    hub.formatVersion = 1;
    await expect(sync.checkin()).rejects.toThrow(/format version 1 is not supported \(only 2\): update the hub/);
    hub.formatVersion = null;
    expect(sync.plan()?.planId).toBe(good.planId);
    // A tampered state file is ignored on the next start.
    const path = join(dir, 'sync-state.json');
    const state = JSON.parse(readFileSync(path, 'utf8')) as { plan: { payload: { until: string } } };
    state.plan.payload.until = '2099-01-01T00:00:00.000Z';
    writeFileSync(path, JSON.stringify(state));
    const restarted = await build();
    expect(restarted.sync.plan()).toBeNull();
    expect(restarted.sync.status().errors[0].message).toMatch(/stored document ignored.*signature/);
    // A document signed by a key other than the pinned one.
    const other = new FakeHub(sodium);
    const forged = signDocument(other.hubKey, hub.split().envelope as unknown as JsonValue);
    expect(() =>
      (restarted.sync as unknown as { verified(d: unknown, w: string): unknown }).verified(forged, 'plan'),
    ).toThrow(/not by the pinned hub key/);
  });

  it('refuses a plan whose body does not match the signed hash (keeps the last good one); a restart offline assembles from the stored bodies, a damaged body drops the stored plan', async () => {
    const a = await hub.addTrack(1_000, at(0));
    const b = await hub.addTrack(1_000, at(2));
    const good = hub.setPlan([a.doc, b.doc]);
    const { sync } = await build();
    await sync.checkin();
    expect(sync.plan()?.tracks.map((t) => [t.id, t.neededFrom])).toEqual([
      [a.id, at(0)],
      [b.id, at(2)],
    ]);
    const held = hub.split().envelope;
    expect(readdirSync(join(dir, 'plan-bodies')).sort()).toEqual(
      [held.timeline.sha256, held.catalogue.sha256].map((h) => `${h}.json`).sort(),
    );
    for (const kind of ['timeline', 'catalogue'] as const) {
      hub.setPlan([b.doc]);
      hub.tamperBody = kind;
      await expect(sync.checkin()).rejects.toThrow(
        new RegExp(
          `plan body ${hub.split().envelope[kind].sha256} from the hub \\(${kind}\\) has SHA-256 [0-9a-f]{64}.*refusing it`,
        ),
      );
      expect(sync.plan()?.planId).toBe(good.planId);
      expect(sync.track(a.id)?.id).toBe(a.id);
    }
    hub.tamperBody = null;
    // Offline restart: the envelope and its bodies on disk are enough.
    await hub.stop();
    const offline = await build();
    expect(offline.sync.plan()?.planId).toBe(good.planId);
    expect(offline.sync.plan()?.tracks.map((t) => t.id)).toEqual([a.id, b.id]);
    // A damaged body file: the stored plan is not used (and the next check-in fetches it again).
    const victim = join(dir, 'plan-bodies', `${held.catalogue.sha256}.json`);
    writeFileSync(victim, readFileSync(victim, 'utf8').replace(a.id, b.id));
    const damaged = await build();
    expect(damaged.sync.plan()).toBeNull();
    expect(damaged.sync.status().errors[0].message).toMatch(
      /stored plan ignored: the catalogue body .* missing or damaged/,
    );
  });

  it('a new plan whose bodies it already holds costs only the envelope: no body is fetched again', async () => {
    const a = await hub.addTrack(1_000, at(0));
    const first = hub.setPlan([a.doc]);
    const { sync } = await build();
    await sync.checkin();
    const bodyFetches = () => hub.requests.filter((r) => r.path.startsWith('/appliance/v1/plan-bodies/')).length;
    expect(bodyFetches()).toBe(2);
    // Recompiled with a new id (e.g. a new licence term elsewhere in the envelope): same timeline and catalogue.
    hub.plan = { ...first, planId: '0190a000-0000-7000-8000-00000000beef' };
    hub.planEtag = '"plan-2"';
    await sync.checkin();
    expect(sync.plan()?.planId).toBe('0190a000-0000-7000-8000-00000000beef');
    expect(bodyFetches()).toBe(2);
  });

  it('backs off exponentially with jitter on failure (5 s doubling, cap 5 min), then returns to the interval', async () => {
    hub.setPlan([]);
    const scheduler = new ManualScheduler();
    const { sync } = await build({ scheduler, random: () => 1 });
    sync.start();
    expect(scheduler.delays).toEqual([0]);
    hub.failNext = 3;
    await scheduler.fire();
    await scheduler.fire();
    await scheduler.fire();
    expect(scheduler.delays.slice(1)).toEqual([5_000, 10_000, 20_000]);
    expect(sync.status()).toMatchObject({ consecutiveFailures: 3, online: false });
    expect(sync.status().lastCheckinError).toMatch(/503/);
    await scheduler.fire();
    expect(scheduler.delays[4]).toBe(72_000); // 60 s interval + 20 % jitter at random() = 1
    expect(sync.status()).toMatchObject({ consecutiveFailures: 0, online: true, lastCheckinError: null });
  });

  it('backoff and interval jitter stay within their bounds', () => {
    expect(backoffMs(1, () => 0)).toBe(2_500);
    expect(backoffMs(1, () => 1)).toBe(5_000);
    expect(backoffMs(20, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(backoffMs(20, () => 0)).toBe(BACKOFF_CAP_MS / 2);
    // Short check-in intervals cap the wait at ten of them; long ones keep the 5 min cap.
    expect(backoffMs(20, () => 1, 5)).toBe(50_000);
    expect(backoffMs(3, () => 1, 5)).toBe(20_000);
    expect(backoffMs(20, () => 1, 60)).toBe(BACKOFF_CAP_MS);
    expect(backoffMs(20, () => 1, 3600)).toBe(BACKOFF_CAP_MS);
    expect(jitteredIntervalMs(100, () => 0)).toBe(80_000);
    expect(jitteredIntervalMs(100, () => 1)).toBe(120_000);
  });

  it('uploads plays oldest first in batches and deletes only what the hub stored', async () => {
    hub.setPlan([]);
    const { log } = await build();
    closePlays(log, 25);
    const client = new HubClient(hub.keystore, { sodium, clock: new FixedClock(hub.timeMs) });
    const uploader = new PlayUploader(log, client, () => undefined, 10);
    expect(await uploader.drain()).toBe(25);
    expect(hub.requests.filter((r) => r.path === '/appliance/v1/plays')).toHaveLength(3);
    expect([...hub.stored.values()].map((p) => p.sequence)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(log.stats()).toEqual({ pending: 0, lastSequence: 25 });
  });

  it('a batch the hub stored only partly (a gap below it) deletes up to storedThrough and stops', async () => {
    hub.setPlan([]);
    const { log } = await build();
    closePlays(log, 4);
    log.acknowledge(1); // the hub never saw play 1: it will answer storedThrough 0
    const client = new HubClient(hub.keystore, { sodium, clock: new FixedClock(hub.timeMs) });
    expect(await new PlayUploader(log, client).drain()).toBe(0);
    expect(log.stats().pending).toBe(3);
  });

  it('after an outage the backlog drains in order; a failed upload keeps every play', async () => {
    hub.setPlan([]);
    const { sync, log } = await build();
    await sync.checkin();
    closePlays(log, 5);
    hub.failNext = 1; // the check-in fails: nothing sent
    await expect(sync.checkin()).rejects.toThrow(/503/);
    expect(log.stats().pending).toBe(5);
    closePlays(log, 3, 6);
    await sync.checkin();
    expect([...hub.stored.values()].map((p) => p.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(log.stats().pending).toBe(0);
    for (let i = 2; i <= 8; i++) {
      const plays = [...hub.stored.values()];
      expect(plays[i - 1].prevHash).toBe(plays[i - 2].hash);
    }
  });

  it('track() answers from the current plan, and follows a new plan', async () => {
    const a = await hub.addTrack(1_000, at(0));
    const b = await hub.addTrack(1_000, at(0));
    hub.setPlan([a.doc]);
    const { sync } = await build();
    await sync.checkin();
    expect(sync.track(a.id)?.sha256).toBe(a.doc.sha256);
    expect(sync.track(b.id)).toBeUndefined();
    hub.setPlan([b.doc]);
    await sync.checkin();
    expect(sync.track(a.id)).toBeUndefined();
    expect(sync.track(b.id)?.id).toBe(b.id);
  });

  it('openPreview streams the preview into memory', async () => {
    const track = await hub.addTrack(10_000, at(0));
    hub.setPlan([track.doc]);
    const { sync } = await build();
    const parts: Uint8Array[] = [];
    for await (const p of sync.openPreview(track.id)) parts.push(p);
    expect(Buffer.concat(parts).equals(track.plain)).toBe(true);
  });
});
