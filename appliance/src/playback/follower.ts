import { randomUUID } from 'node:crypto';
import type { ApplianceState, PlanProgrammeDoc, PlaySource } from '@roomtone/provisioning';
import type { PcmBlock, PlayItem, TrackEnded, TrackFailed, TrackStarted } from '../audio';
import type { HubLinkPort, PlayLogPort, TrackCachePort } from '../daemon/ports';
import { type TimeVerdict } from '../time';
import { type GateVerdict, evaluateGate } from './gate';
import { type RecentPlays } from './history';
import { ProgrammePicker } from './picker';
import { type Interval, PlanIndex, sameInterval } from './plan-index';

/** What the follower needs from the audio engine's Player (the real one, or a fake in unit tests). */
export interface PlayerLike {
  enqueue(item: PlayItem): void;
  start(): void;
  stop(options?: { fadeMs?: number }): Promise<void>;
  setVolume(volume: number, rampMs?: number): void;
  setCrossfade(seconds: number): void;
  on(event: 'trackStarted', listener: (e: TrackStarted) => void): unknown;
  on(event: 'trackEnded', listener: (e: TrackEnded) => void): unknown;
  on(event: 'trackFailed', listener: (e: TrackFailed) => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
}

export interface FollowerDeps {
  /** Trusted "now" (TrustedTime.now()). */
  time: () => TimeVerdict;
  hub: HubLinkPort;
  cache: TrackCachePort;
  log: PlayLogPort;
  history: RecentPlays;
  /** A fresh player at a block volume (0-100); the follower replaces its player after every hard stop. */
  createPlayer: (volume: number) => PlayerLike;
  /** MP3 bytes to PCM (decodeMp3). */
  decode: (mp3: AsyncIterable<Uint8Array>) => AsyncIterable<PcmBlock>;
  /** Shuffle seed (per appliance). */
  seed: number;
  /**
   * Signed hub time of the last successful check-in as stored on disk (survives a restart), for the offline lease
   * until this process has checked in itself (HubLinkPort.lastHubTime() is per process).
   */
  lastContactMs?: () => number | null;
  /** Fade of a hard start at a block boundary (default 300 ms). */
  hardFadeMs?: number;
  /** Fade when a block ends into silence, or playing must stop (default 1000 ms). */
  endFadeMs?: number;
  /** Volume ramp between blocks (default 2000 ms). */
  volumeRampMs?: number;
  /** How often audible time is recorded in the play log (default 5000 ms). */
  progressEveryMs?: number;
}

/** What `status` shows about playback. */
export interface PlaybackStatus {
  state: ApplianceState;
  reason: string | null;
  /** Since when (trusted time, else wall clock) the state and reason hold. */
  since: string;
  planId: string | null;
  planUntil: string | null;
  offlineSafeUntil: string | null;
  clock: { trusted: boolean; basis: string | null; wallSkewMs: number | null; note: string | null };
  nowPlaying: {
    trackId: string;
    title: string | null;
    artist: string | null;
    programmeId: string;
    blockId: string;
    startedAt: string;
    quality: 'full' | 'preview';
    source: PlaySource;
    sequence: number;
  } | null;
  errors: { at: string; message: string }[];
}

interface Entry {
  trackId: string;
  interval: Interval;
  programme: PlanProgrammeDoc;
  planId: string;
  quality: 'full' | 'preview';
  source: PlaySource;
  durationMs: number;
  relaxed: string[];
  item: PlayItem;
  sequence?: number;
  startedAtMs?: number;
  lastProgressMs?: number;
  cancel: () => void;
}

interface Session {
  player: PlayerLike;
  /** The plan the session's picks were made under (or adopted). */
  planId: string;
  entries: Entry[];
  volume: number;
  dead: boolean;
}

/** A track that failed to decode is avoided this long (a corrupt cache entry is re-fetched by sync meanwhile). */
const FAILED_TRACK_BACKOFF_MS = 10 * 60_000;
/** After an audio or play-log failure, wait this long before a new player is tried. */
const RETRY_AFTER_FAILURE_MS = 5_000;

/**
 * Follows the plan by the trusted clock (appliance/src/playback/README.md). On each tick: is playing allowed at all
 * (gate), which interval is in force (binary search), and does the player match it? Hard starts switch at the
 * boundary (the current track fades out over `hardFadeMs`); soft starts wait for the current track to end, at most
 * `maxLatenessSeconds`; same-programme boundaries only ramp the volume. The next track is chosen for the instant it
 * will start (the end of the current one), so a soft boundary falls between tracks without stopping anything. Every
 * track start is written to the play log (synchronously, durably) before its first frame reaches the output.
 */
export class PlanFollower {
  private session: Session | undefined;
  private index: PlanIndex | undefined;
  private readonly pickers = new Map<string, ProgrammePicker>();
  private readonly failedTracks = new Map<string, number>();
  private state: { state: ApplianceState; reason: string | null; sinceMs: number } = {
    state: 'starting',
    reason: null,
    sinceMs: 0,
  };
  private lastTime: TimeVerdict | undefined;
  private lastGate: GateVerdict | undefined;
  private readonly errors: { at: string; message: string }[] = [];
  private ticking: Promise<void> | undefined;
  private retryAfterMs = -Infinity;
  private stopped = false;

  constructor(private readonly deps: FollowerDeps) {}

  /** One step: brings the player in line with the plan at the trusted now. Never runs twice at once. */
  async tick(): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.step().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Graceful stop: fades out, closes the play in the log as 'stopped', and refuses further ticks. */
  async stop(fadeMs = this.deps.endFadeMs ?? 1000): Promise<void> {
    this.stopped = true;
    await this.ticking;
    await this.flush(fadeMs);
  }

  /** The playback part of status.json. */
  status(): PlaybackStatus {
    const time = this.lastTime;
    const gate = this.lastGate;
    const current = this.session?.entries.find((e) => e.startedAtMs !== undefined);
    const plan = this.index;
    const track = current ? this.deps.hub.track(current.trackId) : undefined;
    return {
      state: this.state.state,
      reason: this.state.reason,
      since: new Date(this.state.sinceMs).toISOString(),
      planId: plan?.plan.planId ?? null,
      planUntil: plan ? new Date(plan.untilMs).toISOString() : null,
      offlineSafeUntil:
        gate?.open === true && plan ? new Date(Math.min(gate.leaseUntilMs, plan.untilMs)).toISOString() : null,
      clock: time?.trusted
        ? { trusted: true, basis: time.basis, wallSkewMs: Math.round(time.wallSkewMs), note: time.note }
        : { trusted: false, basis: null, wallSkewMs: null, note: time && !time.trusted ? time.reason : null },
      nowPlaying:
        current && current.startedAtMs !== undefined && current.sequence !== undefined
          ? {
              trackId: current.trackId,
              title: track?.title ?? null,
              artist: track?.artist ?? null,
              programmeId: current.programme.id,
              blockId: current.interval.doc.blockId,
              startedAt: new Date(current.startedAtMs).toISOString(),
              quality: current.quality,
              source: current.source,
              sequence: current.sequence,
            }
          : null,
      errors: [...this.errors],
    };
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    const time = this.deps.time();
    this.lastTime = time;
    const plan = this.deps.hub.plan();
    if (plan?.planId !== this.index?.plan.planId) {
      this.index = plan ? new PlanIndex(plan) : undefined;
      this.pickers.clear();
    }
    const index = this.index ?? null;
    const gate = evaluateGate({
      time,
      plan: index,
      licence: this.deps.hub.licence()?.terms ?? index?.plan.licence ?? null,
      lastHubTimeMs: this.deps.hub.lastHubTime()?.hubTimeMs ?? this.deps.lastContactMs?.() ?? null,
    });
    this.lastGate = gate;
    const nowMs = time.trusted ? time.nowMs : null;
    if (!gate.open) {
      this.setState(gate.state, gate.reason, nowMs);
      if (this.session) await this.flush(this.deps.endFadeMs ?? 1000);
      return;
    }
    const now = gate.nowMs;
    const interval = (index as PlanIndex).at(now);
    if (!interval) {
      const next = (index as PlanIndex).nextAfter(now);
      const reason = next
        ? `outside the plan's blocks: next block '${next.doc.blockId}' at ${next.doc.start}`
        : "outside the plan's blocks: none before the plan ends";
      this.setState('silent', reason, now);
      if (this.session) await this.flush(this.deps.endFadeMs ?? 1000);
      return;
    }
    // A new plan (recompiled on the hub) does not interrupt the music if it still has the playing block and tracks;
    // otherwise the player's picks may name tracks the new plan dropped, and it goes.
    const session = this.session;
    if (session && !this.adoptPlan(session, index as PlanIndex, interval)) {
      await this.flush(this.deps.hardFadeMs ?? 300);
    }
    this.progress(now);
    await this.follow(interval, gate, now);
  }

  /**
   * True when the session can carry on under `index` (a plan recompiled on the hub): every track it holds is still in
   * its programme, and that programme is the one in force now. Its entries then point at the new plan's interval
   * (a play already logged keeps the planId it was chosen under) and a changed block volume ramps.
   */
  private adoptPlan(session: Session, index: PlanIndex, interval: Interval): boolean {
    if (session.planId === index.plan.planId) return true;
    for (const entry of session.entries) {
      const programme = index.plan.programmes.find((p) => p.id === entry.programme.id);
      if (!programme || !programme.trackIds.includes(entry.trackId)) return false;
      if (entry.interval.doc.programmeId !== interval.doc.programmeId) return false;
    }
    session.planId = index.plan.planId;
    for (const entry of session.entries) {
      if (sameInterval(entry.interval, interval)) entry.interval = interval;
      if (entry.startedAtMs === undefined) entry.planId = index.plan.planId;
      entry.programme = index.plan.programmes.find((p) => p.id === entry.programme.id) as PlanProgrammeDoc;
    }
    if (session.entries.some((e) => e.interval === interval)) this.applyVolume(session, interval.doc.volume);
    return true;
  }

  private async follow(interval: Interval, gate: GateVerdict & { open: true }, now: number): Promise<void> {
    let session = this.session;
    let carried: Entry | undefined;
    const current = session?.entries[0];
    if (session && current && !sameInterval(current.interval, interval)) {
      if (current.interval.doc.programmeId === interval.doc.programmeId) {
        // Same programme, new block (e.g. another volume): no stop, just ramp.
        for (const e of session.entries)
          if (e.interval.doc.programmeId === interval.doc.programmeId) e.interval = interval;
        this.applyVolume(session, interval.doc.volume);
      } else if (interval.doc.startMode === 'hard') {
        await this.flush(this.deps.hardFadeMs ?? 300);
        session = undefined;
      } else {
        const lateMs = now - interval.startMs;
        const max = interval.doc.maxLatenessSeconds;
        const playingOld = current.startedAtMs !== undefined;
        if (playingOld && max !== null && lateMs >= max * 1000) {
          // Too late: cut the old track; a track already chosen for the new block starts at once.
          carried = session.entries.find((e) => e.startedAtMs === undefined && sameInterval(e.interval, interval));
          await this.flush(this.deps.hardFadeMs ?? 300);
          session = undefined;
        }
      }
    }
    if (!session || session.dead) {
      if (now < this.retryAfterMs) return;
      this.startSession(interval, gate, now, carried);
      return;
    }
    this.topUp(session, gate, now);
    if (session.entries.length > 0) {
      const playing = session.entries[0];
      this.setState('playing', playing.quality === 'preview' ? 'playing previews streamed from the hub' : null, now);
    }
  }

  /** A fresh player for `interval`, its first track enqueued. */
  private startSession(interval: Interval, gate: GateVerdict & { open: true }, now: number, carried?: Entry): void {
    const entry = carried ?? this.pickEntry(interval, gate, now);
    if (!entry) return;
    const player = this.deps.createPlayer(interval.doc.volume);
    const session: Session = {
      player,
      planId: (this.index as PlanIndex).plan.planId,
      entries: [],
      volume: interval.doc.volume,
      dead: false,
    };
    this.wire(session);
    this.session = session;
    this.enqueue(session, entry);
    player.start();
    this.setState('playing', null, now);
  }

  /** Keeps one track queued behind the playing one, chosen for the instant it will start. */
  private topUp(session: Session, gate: GateVerdict & { open: true }, now: number): void {
    const entries = session.entries;
    if (entries.length === 0) {
      const interval = this.index?.at(now);
      if (!interval) return;
      const entry = this.pickEntry(interval, gate, now);
      if (entry) this.enqueue(session, entry);
      return;
    }
    if (entries.length > 1) return;
    const current = entries[0];
    if (current.startedAtMs === undefined) return;
    const at = Math.max(now, current.startedAtMs + current.durationMs);
    if (at >= gate.leaseUntilMs) return;
    const next = this.index?.at(at);
    if (!next) return;
    if (!sameInterval(next, current.interval) && next.doc.programmeId !== current.interval.doc.programmeId) {
      // A hard start cuts the current track at the boundary and starts afresh; nothing to queue for it now.
      if (next.doc.startMode === 'hard') return;
    }
    const entry = this.pickEntry(next, gate, at);
    if (entry) this.enqueue(session, entry);
  }

  /**
   * The next track of the interval's programme: a cached one under a full licence; when none is cached (or the
   * licence is preview-only) and the hub is reachable, a preview streamed into memory; else nothing, and why.
   */
  private pickEntry(interval: Interval, gate: GateVerdict & { open: true }, atMs: number): Entry | undefined {
    const index = this.index as PlanIndex;
    const programme = index.plan.programmes.find((p) => p.id === interval.doc.programmeId);
    if (!programme) {
      this.setState('silent', `the plan has no programme '${interval.doc.programmeId}'`, atMs);
      return undefined;
    }
    const picker = this.pickerFor(programme);
    const usable = (id: string): boolean =>
      (this.failedTracks.get(id) ?? -Infinity) <= atMs && this.deps.hub.track(id) !== undefined;
    const online = this.deps.hub.online();
    let pick = gate.tier === 'full' ? picker.next(atMs, (id) => usable(id) && this.deps.cache.has(id)) : null;
    let quality: 'full' | 'preview' = 'full';
    if (!pick && online) {
      pick = picker.next(atMs, usable);
      quality = 'preview';
    }
    if (!pick) {
      const why =
        gate.tier === 'preview'
          ? 'the licence allows previews only and the hub is unreachable'
          : 'no track of it is cached yet and the hub is unreachable for previews';
      this.setState('silent', `nothing playable in programme '${programme.name}': ${why}`, atMs);
      return undefined;
    }
    const track = this.deps.hub.track(pick.trackId);
    const trackId = pick.trackId;
    let iterator: AsyncIterator<PcmBlock> | undefined;
    const open = (): AsyncIterable<Uint8Array> =>
      quality === 'full' ? this.deps.cache.open(trackId) : this.deps.hub.openPreview(trackId);
    const decode = this.deps.decode;
    const item: PlayItem = {
      trackId,
      ...(track?.loudnessLufs !== null && track?.loudnessLufs !== undefined
        ? // Unknown true peak: assume 0 dBTP, so the gain can only bring the track down to the ceiling, never clip it.
          { loudness: { integratedLufs: track.loudnessLufs, truePeakDbtp: track.truePeakDbtp ?? 0 } }
        : {}),
      open: () => {
        const generator = decode(open())[Symbol.asyncIterator]();
        iterator = generator;
        return { [Symbol.asyncIterator]: () => generator };
      },
    };
    return {
      trackId,
      interval,
      programme,
      planId: index.plan.planId,
      quality,
      source: quality === 'preview' ? 'preview' : interval.doc.source,
      durationMs: track?.durationMs ?? 0,
      relaxed: pick.relaxed,
      item,
      cancel: () => {
        void iterator?.return?.(undefined);
      },
    };
  }

  private enqueue(session: Session, entry: Entry): void {
    session.entries.push(entry);
    session.player.setCrossfade(entry.programme.crossfadeMs / 1000);
    session.player.enqueue(entry.item);
  }

  private pickerFor(programme: PlanProgrammeDoc): ProgrammePicker {
    const key = `${programme.id}@${programme.version}`;
    let picker = this.pickers.get(key);
    if (!picker) {
      picker = new ProgrammePicker(programme, {
        track: (id) => this.deps.hub.track(id),
        history: this.deps.history,
        seed: this.deps.seed,
      });
      this.pickers.set(key, picker);
    }
    return picker;
  }

  private wire(session: Session): void {
    const { player } = session;
    player.on('trackStarted', (e) => this.onStarted(session, e));
    player.on('trackEnded', (e) => this.onEnded(session, e));
    player.on('trackFailed', (e) => this.onFailed(session, e));
    player.on('error', (e) => {
      if (session.dead) {
        // Already explained (the play log refused a play): just let go of this player.
        this.abandon(session);
        return;
      }
      session.dead = true;
      this.recordError(`audio output failed: ${e.message}`);
      this.setState('audio-error', e.message, this.nowOrWall());
      this.retryAfterMs = this.nowOrWall() + RETRY_AFTER_FAILURE_MS;
      if (this.session === session) this.abandon(session);
    });
  }

  /**
   * The first frame of a track is about to be written: the play goes into the log first (durably). If the log
   * cannot take it, the exception propagates into the player before the frame is written and stops it: nothing
   * plays unlogged.
   */
  private onStarted(session: Session, e: TrackStarted): void {
    const entry = session.entries.find((x) => x.startedAtMs === undefined && x.trackId === e.trackId);
    if (!entry) return;
    const now = this.nowOrWall();
    try {
      entry.sequence = this.deps.log.begin({
        playId: randomUUID(),
        trackId: entry.trackId,
        planId: entry.planId,
        programmeId: entry.programme.id,
        blockId: entry.interval.doc.blockId,
        rule: entry.interval.doc.rule,
        startedAt: new Date(now).toISOString(),
        source: entry.source,
        quality: entry.quality,
        offline: !this.deps.hub.online(),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.recordError(`play log refused a play (nothing plays unlogged): ${message}`);
      this.setState('silent', `the play log cannot be written: ${message}`, now);
      session.dead = true;
      this.retryAfterMs = now + RETRY_AFTER_FAILURE_MS;
      throw error;
    }
    entry.startedAtMs = now;
    entry.lastProgressMs = now;
    // Everything queued before this track has ended (or crossfades out now): it is the head of the queue.
    const track = this.deps.hub.track(entry.trackId);
    this.deps.history.add({
      trackId: entry.trackId,
      artist: track?.artist ?? null,
      programmeId: entry.programme.id,
      startedAtMs: now,
    });
    this.applyVolume(session, entry.interval.doc.volume);
  }

  private onEnded(session: Session, e: TrackEnded): void {
    const at = session.entries.findIndex((x) => x.startedAtMs !== undefined && x.trackId === e.trackId);
    if (at < 0) return;
    const [entry] = session.entries.splice(at, 1);
    if (entry.sequence !== undefined) {
      this.deps.log.end(entry.sequence, e.secondsAudible, e.reason === 'completed' ? 'completed' : 'stopped');
    }
    if (e.reason === 'failed') {
      this.recordError(`track ${e.trackId} failed while playing: ${e.error ?? 'decoder error'}`);
      this.failedTracks.set(e.trackId, this.nowOrWall() + FAILED_TRACK_BACKOFF_MS);
    }
  }

  private onFailed(session: Session, e: TrackFailed): void {
    const at = session.entries.findIndex((x) => x.startedAtMs === undefined && x.trackId === e.trackId);
    if (at < 0) return;
    session.entries.splice(at, 1);
    this.recordError(`track ${e.trackId} could not be played: ${e.error}`);
    this.failedTracks.set(e.trackId, this.nowOrWall() + FAILED_TRACK_BACKOFF_MS);
  }

  /** Records audible time of the playing track every `progressEveryMs`. */
  private progress(now: number): void {
    const every = this.deps.progressEveryMs ?? 5000;
    for (const entry of this.session?.entries ?? []) {
      if (entry.sequence === undefined || entry.startedAtMs === undefined) continue;
      if (now - (entry.lastProgressMs ?? entry.startedAtMs) < every) continue;
      entry.lastProgressMs = now;
      this.deps.log.progress(entry.sequence, Math.max(0, (now - entry.startedAtMs) / 1000));
    }
  }

  private applyVolume(session: Session, volume: number): void {
    if (session.volume === volume) return;
    session.volume = volume;
    session.player.setVolume(volume, this.deps.volumeRampMs ?? 2000);
  }

  /** Stops the current player (fade; its track ends as 'stopped' in the log) and drops whatever it had queued. */
  private async flush(fadeMs: number): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    if (!session.dead) await session.player.stop({ fadeMs });
    this.abandon(session);
  }

  /** Closes the log entries of a player that will not play again and releases queued tracks' decoders. */
  private abandon(session: Session): void {
    if (this.session === session) this.session = undefined;
    for (const entry of session.entries.splice(0)) {
      if (entry.sequence !== undefined && entry.startedAtMs !== undefined) {
        this.deps.log.end(entry.sequence, Math.max(0, (this.nowOrWall() - entry.startedAtMs) / 1000), 'stopped');
      }
      entry.cancel();
    }
  }

  private setState(state: ApplianceState, reason: string | null, nowMs: number | null): void {
    if (this.state.state === state && this.state.reason === reason) return;
    this.state = { state, reason, sinceMs: nowMs ?? this.nowOrWall() };
  }

  private recordError(message: string): void {
    this.errors.unshift({ at: new Date(this.nowOrWall()).toISOString(), message });
    this.errors.length = Math.min(this.errors.length, 20);
  }

  /** Trusted now; when there is none, the wall clock (only for "since when" and error times, never for playing). */
  private nowOrWall(): number {
    const t = this.deps.time();
    return t.trusted ? t.nowMs : t.wallMs;
  }
}
