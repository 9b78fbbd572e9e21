import type { LicencePayload, PlanPayload, PlanTrackDoc } from '@roomtone/provisioning';
import type { PcmBlock, PlayItem, TrackEnded, TrackFailed, TrackStarted } from '../../audio';
import type { HubLinkPort, PlayLogPort, PlayStart, TrackCachePort } from '../../daemon/ports';
import type { PlayerLike } from '../follower';

/** A player that "plays" by the test's clock: a track lasts its durationMs; events fire like the real Player's. */
export class FakePlayer implements PlayerLike {
  readonly actions: string[] = [];
  readonly queue: PlayItem[] = [];
  playing: { item: PlayItem; startedAtMs: number } | undefined;
  running = false;
  volume: number;
  private readonly listeners: Record<string, ((e: never) => void)[]> = {};

  constructor(
    volume: number,
    private readonly nowMs: () => number,
    private readonly durationOf: (trackId: string) => number,
  ) {
    this.volume = volume;
  }

  enqueue(item: PlayItem): void {
    this.queue.push(item);
    this.actions.push(`enqueue ${item.trackId}`);
    if (this.running && !this.playing) this.startNext();
  }
  start(): void {
    this.running = true;
    if (!this.playing) this.startNext();
  }
  async stop(options: { fadeMs?: number } = {}): Promise<void> {
    this.actions.push(`stop ${options.fadeMs ?? 10}`);
    this.running = false;
    if (this.playing) this.end('stopped');
    await Promise.resolve();
  }
  setVolume(volume: number, rampMs = 1000): void {
    this.volume = volume;
    this.actions.push(`volume ${volume} ${rampMs}`);
  }
  setCrossfade(seconds: number): void {
    this.actions.push(`crossfade ${seconds}`);
  }
  on(event: string, listener: (e: never) => void): unknown {
    (this.listeners[event] ??= []).push(listener);
    return this;
  }

  /** Ends the playing track if its time is up and starts the next queued one (as the real player would). */
  pump(): void {
    while (
      this.running &&
      this.playing &&
      this.nowMs() >= this.playing.startedAtMs + this.durationOf(this.playing.item.trackId)
    ) {
      this.end('completed');
      this.startNext();
    }
  }

  private startNext(): void {
    const item = this.queue.shift();
    if (!item) return;
    const startedAtMs = this.nowMs();
    this.playing = { item, startedAtMs };
    this.emit<TrackStarted>('trackStarted', { trackId: item.trackId, startedAt: new Date(startedAtMs), gainDb: 0 });
  }

  private end(reason: 'completed' | 'stopped'): void {
    const playing = this.playing as { item: PlayItem; startedAtMs: number };
    this.playing = undefined;
    const endedAt = this.nowMs();
    this.emit<TrackEnded>('trackEnded', {
      trackId: playing.item.trackId,
      startedAt: new Date(playing.startedAtMs),
      endedAt: new Date(endedAt),
      secondsAudible: (endedAt - playing.startedAtMs) / 1000,
      reason,
    });
  }

  fail(trackId: string): void {
    const at = this.queue.findIndex((i) => i.trackId === trackId);
    this.queue.splice(at, 1);
    this.emit<TrackFailed>('trackFailed', { trackId, error: 'corrupt' });
  }

  private emit<T>(event: string, payload: T): void {
    for (const l of this.listeners[event] ?? []) (l as (e: T) => void)(payload);
  }
}

/** What the fake log keeps of a play (PlayStart's fields, typed). */
export interface LoggedPlay {
  playId: string;
  trackId: string;
  planId: string | null;
  programmeId: string | null;
  blockId: string | null;
  rule: string | null;
  startedAt: string;
  source: string;
  quality: string;
  offline: boolean;
  sequence: number;
  secondsAudible?: number;
  ended?: string;
  progress: number[];
}

export class FakeLog implements PlayLogPort {
  readonly plays: LoggedPlay[] = [];
  refuse = false;
  begin(play: PlayStart): number {
    if (this.refuse) throw new Error('disk full');
    const sequence = this.plays.length + 1;
    this.plays.push({ ...(play as unknown as LoggedPlay), sequence, progress: [] });
    return sequence;
  }
  progress(sequence: number, secondsAudible: number): void {
    this.plays[sequence - 1].progress.push(secondsAudible);
  }
  end(sequence: number, secondsAudible: number, ended: 'completed' | 'stopped'): void {
    const play = this.plays[sequence - 1];
    if (play.ended) throw new Error(`play ${sequence} ended twice`);
    play.secondsAudible = secondsAudible;
    play.ended = ended;
  }
  stats() {
    return { pending: this.plays.length, lastSequence: this.plays.length };
  }
}

export class FakeCache implements TrackCachePort {
  readonly cached = new Set<string>();
  has(trackId: string): boolean {
    return this.cached.has(trackId);
  }
  async *open(trackId: string): AsyncIterable<Uint8Array> {
    await Promise.resolve();
    yield new TextEncoder().encode(`full:${trackId}`);
  }
  stats() {
    return { tracks: this.cached.size, bytes: 0, budgetBytes: 0, missing: 0 };
  }
}

export class FakeHub implements HubLinkPort {
  planDoc: PlanPayload | null = null;
  licenceDoc: LicencePayload | null = null;
  hubTime: { hubTimeMs: number; monotonicMs: number } | null = null;
  isOnline = true;
  previews: string[] = [];
  plan(): PlanPayload | null {
    return this.planDoc;
  }
  licence(): LicencePayload | null {
    return this.licenceDoc;
  }
  lastHubTime() {
    return this.hubTime;
  }
  online(): boolean {
    return this.isOnline;
  }
  async *openPreview(trackId: string): AsyncIterable<Uint8Array> {
    this.previews.push(trackId);
    await Promise.resolve();
    yield new TextEncoder().encode(`preview:${trackId}`);
  }
  track(trackId: string): PlanTrackDoc | undefined {
    return this.planDoc?.tracks.find((t) => t.id === trackId);
  }
}

/** A decoder stand-in: the fake player never pulls audio. */
export function noDecode(_: AsyncIterable<Uint8Array>): AsyncIterable<PcmBlock> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) };
}

export function trackDoc(id: string, artist: string, durationMs: number): PlanTrackDoc {
  return {
    id,
    title: `Title ${id}`,
    artist,
    album: null,
    label: null,
    isrc: null,
    durationMs,
    loudnessLufs: -20,
    truePeakDbtp: -6,
    cueInMs: null,
    cueOutMs: null,
    explicit: false,
    downloadBytes: 1000,
    sha256: '0'.repeat(64),
    previewBytes: 100,
    neededFrom: '2026-03-28T00:00:00Z',
  };
}
