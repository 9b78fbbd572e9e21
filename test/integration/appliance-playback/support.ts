import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LicencePayload, PlanPayload, PlanTrackDoc } from '@roomtone/provisioning';
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
