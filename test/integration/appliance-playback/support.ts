import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  HubSigningKey,
  type Keystore,
  type LicencePayload,
  type PlanPayload,
  type PlanTrackDoc,
  type Sodium,
  createKeystore,
  encryptFile,
  enrolledKeystore,
  hashFile,
  loadSodium,
  saveKeystore,
  signDocument,
  splitPlan,
} from '@roomtone/provisioning';
import type { HubLinkPort, PlayLogPort, PlayStart, TrackCachePort } from '../../../appliance/src/daemon';

/**
 * A prepared cache: MP3 files in a directory, named <trackId>.mp3, streamed in 16 KB chunks as the encrypted cache
 * streams decrypted chunks. (The encrypted cache itself is tested with the sync/cache suites.)
 */
export class DirectoryCache implements TrackCachePort {
  constructor(
    private readonly dir: string,
    private readonly ids: string[],
  ) {}
  has(trackId: string): boolean {
    return this.ids.includes(trackId);
  }
  async *open(trackId: string): AsyncIterable<Uint8Array> {
    const bytes = readFileSync(join(this.dir, `${trackId}.mp3`));
    for (let at = 0; at < bytes.length; at += 16 * 1024) {
      yield bytes.subarray(at, Math.min(bytes.length, at + 16 * 1024));
      await Promise.resolve();
    }
  }
  stats() {
    return { tracks: this.ids.length, bytes: 0, budgetBytes: 1 << 30, missing: 0 };
  }
}

/** A hub link that already holds a verified plan and licence and had its last check-in just now. */
export class FixedHubLink implements HubLinkPort {
  private readonly checkedIn = { hubTimeMs: Date.now(), monotonicMs: performance.now() };
  constructor(
    private readonly planDoc: PlanPayload,
    private readonly licenceDoc: LicencePayload | null = null,
  ) {}
  plan() {
    return this.planDoc;
  }
  licence() {
    return this.licenceDoc;
  }
  lastHubTime() {
    return this.checkedIn;
  }
  online() {
    return true;
  }
  openPreview(): AsyncIterable<Uint8Array> {
    throw new Error('no previews in this test');
  }
  track(trackId: string): PlanTrackDoc | undefined {
    return this.planDoc.tracks.find((t) => t.id === trackId);
  }
}

export interface Logged {
  play: PlayStart;
  sequence: number;
  progress: number[];
  secondsAudible?: number;
  ended?: string;
}

/** An in-memory play log recording what the daemon logged. */
export class MemoryPlayLog implements PlayLogPort {
  readonly plays: Logged[] = [];
  begin(play: PlayStart): number {
    this.plays.push({ play, sequence: this.plays.length + 1, progress: [] });
    return this.plays.length;
  }
  progress(sequence: number, secondsAudible: number): void {
    this.plays[sequence - 1].progress.push(secondsAudible);
  }
  end(sequence: number, secondsAudible: number, ended: 'completed' | 'stopped'): void {
    Object.assign(this.plays[sequence - 1], { secondsAudible, ended });
  }
  stats() {
    return { pending: this.plays.length, lastSequence: this.plays.length };
  }
}

export function trackDoc(id: string, durationMs: number): PlanTrackDoc {
  return {
    id,
    title: `Title ${id}`,
    artist: `Artist ${id}`,
    album: null,
    label: null,
    isrc: null,
    durationMs,
    loudnessLufs: -16,
    truePeakDbtp: -3,
    cueInMs: null,
    cueOutMs: null,
    explicit: false,
    downloadBytes: 0,
    sha256: '0'.repeat(64),
    previewBytes: 0,
    neededFrom: new Date().toISOString(),
  };
}

/** A plan with one hard-start block [startMs, endMs) of an ordered programme over `trackIds`. */
export function onePlanBlock(
  startMs: number,
  endMs: number,
  trackIds: string[],
  durationMs: number,
  volume = 80,
): PlanPayload {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    type: 'roomtone.plan',
    formatVersion: 1,
    planId: 'plan-it-1',
    zoneId: 'zone-1',
    venueId: 'venue-1',
    timeZone: 'Europe/Berlin',
    tzdbVersion: '2025b',
    scheduleVersion: 1,
    compiledAt: iso(startMs - 3_600_000),
    from: iso(startMs - 3_600_000),
    until: iso(startMs + 86_400_000),
    licence: {
      licenceId: 'lic-1',
      version: 1,
      venueId: 'venue-1',
      tier: 'full',
      validFrom: iso(startMs - 86_400_000),
      validUntil: iso(startMs + 86_400_000),
      leaseDays: 7,
    },
    intervals: [
      {
        start: iso(startMs),
        end: iso(endMs),
        programmeId: 'prog-1',
        volume,
        startMode: 'hard',
        maxLatenessSeconds: null,
        blockId: 'block-1',
        rule: 'RRULE:FREQ=DAILY',
        ruleKind: 'rrule',
        occurrence: '2026-11-24T10:00',
        priority: 0,
        source: 'scheduled',
      },
    ],
    programmes: [
      {
        id: 'prog-1',
        name: 'Test programme',
        version: 1,
        order: 'ordered',
        repeatWindowMinutes: 0,
        artistSeparationMinutes: 0,
        crossfadeMs: 0,
        trackIds,
      },
    ],
    tracks: trackIds.map((id) => trackDoc(id, durationMs)),
  };
}

/** Every notify listener started; killNotifyListeners (afterEach) ends them even when a test failed. */
const notifyListeners: ChildProcess[] = [];

/** Kills the notify listeners still running: a live one would keep Jest from exiting. */
export function killNotifyListeners(): void {
  for (const child of notifyListeners.splice(0)) child.kill('SIGKILL');
}

/** A unix datagram listener standing in for systemd's NOTIFY_SOCKET: prints each datagram as one JSON line. */
export function notifyListener(path: string): { child: ChildProcess; messages: string[] } {
  const script = [
    'import json, socket, sys',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.bind(sys.argv[1])',
    'print(json.dumps("bound"), flush=True)',
    'while True:',
    '    print(json.dumps(s.recv(4096).decode()), flush=True)',
  ].join('\n');
  const child = spawn('python3', ['-c', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  notifyListeners.push(child);
  const messages: string[] = [];
  let buffer = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) messages.push(JSON.parse(line) as string);
  });
  return { child, messages };
}

/** Polls `predicate` every 50 ms until it holds; throws naming `what` (evaluated then, if a function) after `timeoutMs`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Peak |sample| (left channel, [0, 1]) of each 250 ms window of interleaved s16 stereo at 44.1 kHz. */
export function windowPeaks(samples: Int16Array): number[] {
  const window = 44_100 / 4;
  const frames = samples.length / 2;
  const peaks: number[] = [];
  for (let start = 0; start + window <= frames; start += window) {
    let peak = 0;
    for (let i = start; i < start + window; i++) peak = Math.max(peak, Math.abs(samples[2 * i]) / 32768);
    peaks.push(peak);
  }
  return peaks;
}

/** An appliance enrolled with a hub that is unreachable (127.0.0.1:9): it runs on what its data dir holds. */
export interface OfflineAppliance {
  applianceId: string;
  dataDir: string;
  sodium: Sodium;
  /** The hub's signing key, derived from the seed byte; the keystore pins its public half. */
  hubKey: HubSigningKey;
  keystore: Keystore;
}

/** Writes `<dataDir>/keystore.json` for `applianceId`, pinning a hub key made from 32 bytes of `seedByte`. */
export async function offlineAppliance(
  dataDir: string,
  applianceId: string,
  seedByte: number,
): Promise<OfflineAppliance> {
  const sodium = await loadSodium();
  const pair = sodium.signSeedKeypair(new Uint8Array(32).fill(seedByte));
  const hubKey = new HubSigningKey(sodium, pair.publicKey, pair.secretKey);
  mkdirSync(dataDir, { recursive: true });
  const keystore = enrolledKeystore(createKeystore(sodium, new Date()), {
    applianceId,
    hubUrl: 'http://127.0.0.1:9',
    hubPublicKey: hubKey.publicKey,
  });
  await saveKeystore(join(dataDir, 'keystore.json'), keystore);
  return { applianceId, dataDir, sodium, hubKey, keystore };
}

/**
 * The cache as sync leaves it: each MP3 encrypted for the appliance (provisioning/FORMAT.md) as
 * `<dataDir>/cache/<trackId>.rtt`, and the cache's index.json listing them verified. Returns each track's sha256.
 */
export async function encryptIntoCache(
  appliance: OfflineAppliance,
  mp3s: Record<string, string>,
): Promise<Map<string, string>> {
  const { sodium, keystore, applianceId } = appliance;
  const cacheDir = join(appliance.dataDir, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const hubSecret = randomBytes(32);
  const entries = [];
  const hashes = new Map<string, string>();
  for (const [id, mp3] of Object.entries(mp3s)) {
    const out = join(cacheDir, `${id}.rtt`);
    await encryptFile(
      sodium,
      {
        hubSecret,
        recipientPublicKey: keystore.keys.encryption.publicKey,
        applianceId,
        trackId: id,
        renditionVersion: 1,
      },
      mp3,
      out,
    );
    const sha256 = (await hashFile(mp3)).sha256.toString('hex');
    hashes.set(id, sha256);
    entries.push({
      trackId: id,
      size: statSync(out).size,
      sha256,
      renditionVersion: 1,
      verified: true,
      lastUsedMs: Date.now(),
    });
  }
  writeFileSync(join(cacheDir, 'index.json'), JSON.stringify({ version: 1, entries }));
  return hashes;
}

/**
 * Stores `plan` and a licence of its terms, signed by the appliance's hub key, as sync keeps the last good ones:
 * format 2 as the hub serves it, the signed envelope in sync-state.json and its bodies in plan-bodies/.
 */
export function storeSignedPlan(appliance: OfflineAppliance, plan: PlanPayload): void {
  const { dataDir, hubKey, applianceId } = appliance;
  const licence: LicencePayload = {
    type: 'roomtone.licence',
    applianceId,
    zoneId: plan.zoneId,
    terms: plan.licence as LicencePayload['terms'],
  };
  const { envelope, bodies } = splitPlan(plan);
  mkdirSync(join(dataDir, 'plan-bodies'), { recursive: true });
  writeFileSync(join(dataDir, 'plan-bodies', `${envelope.timeline.sha256}.json`), bodies.timeline);
  writeFileSync(join(dataDir, 'plan-bodies', `${envelope.catalogue.sha256}.json`), bodies.catalogue);
  writeFileSync(
    join(dataDir, 'sync-state.json'),
    JSON.stringify({
      plan: signDocument(hubKey, envelope as never),
      planEtag: '"plan-1"',
      licence: signDocument(hubKey, licence as never),
      licenceEtag: '"licence-1"',
      hubTime: null,
      hubTimeReceivedWallMs: null,
      zoneId: plan.zoneId,
    }),
  );
}
