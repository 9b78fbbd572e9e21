import { type Clock, systemClock } from './clock';
import { crossfade } from './crossfade';
import { Deck, type PlayItem } from './deck';
import { AudioError } from './errors';
import { type PcmBlock, SAMPLE_RATE, dbToGain, frames, toS16le } from './format';
import { DEFAULT_LOUDNESS_POLICY, type LoudnessPolicy, trackGainDb, volumeToGain } from './gain';
import { type AudioOutput } from './output';
import { GainRamp } from './ramp';
import { TypedEmitter } from './typed-emitter';

export interface PlayerOptions {
  output: AudioOutput;
  clock?: Clock;
  loudness?: LoudnessPolicy;
  /** Block volume 0-100 at start. */
  volume?: number;
  /** Seconds of crossfade between consecutive tracks; 0 joins them gaplessly. */
  crossfadeSeconds?: number;
  /** Frames written per output call (~93 ms): bounds how late a volume change or stop is applied. */
  blockFrames?: number;
}

/** A track began: its first frame went to the output. */
export interface TrackStarted {
  trackId: string;
  startedAt: Date;
  /** Loudness-normalisation gain applied to the whole track. */
  gainDb: number;
}

/** Why a track stopped playing. */
export type TrackEndReason = 'completed' | 'stopped' | 'failed';

/** A track stopped playing; what the play log records. */
export interface TrackEnded {
  trackId: string;
  startedAt: Date;
  endedAt: Date;
  /** Seconds of the track sent to the speakers (faded parts included). */
  secondsAudible: number;
  reason: TrackEndReason;
  error?: string;
}

/** A queued track that never started (its decoder failed before the first frame). */
export interface TrackFailed {
  trackId: string;
  error: string;
}

export type PlayerEvents = {
  trackStarted: [TrackStarted];
  trackEnded: [TrackEnded];
  trackFailed: [TrackFailed];
  /** The queue ran dry: nothing is being written until the next enqueue. */
  idle: [];
  /** The output failed for good; the player has stopped. */
  error: [Error];
};

/** Fade applied even to a "hard" stop: long enough to avoid a click, short enough to feel instant. */
const DECLICK_MS = 10;

/**
 * The gapless sequencer. One continuous stream of PCM goes to the output: the next track is opened (decoded ahead)
 * as soon as the current one starts, and its first frame follows the current track's last frame in the same write
 * sequence, so consecutive tracks join with no inserted silence; with a crossfade the two overlap instead. Each track
 * gets its loudness gain; the block volume is a software gain with ramps so changes never click.
 */
export class Player extends TypedEmitter<PlayerEvents> {
  private readonly output: AudioOutput;
  private readonly clock: Clock;
  private readonly policy: LoudnessPolicy;
  private readonly blockFrames: number;
  private readonly volume: GainRamp;
  private crossfadeFrames: number;
  private readonly queue: PlayItem[] = [];
  private current: Deck | undefined;
  private next: { deck: Deck; primed: Promise<void> } | undefined;
  private wake: (() => void) | undefined;
  private stopRequest: { fadeFrames: number } | undefined;
  private running: Promise<void> | undefined;
  private volumeBeforeStop = 1;

  constructor(options: PlayerOptions) {
    super();
    this.output = options.output;
    this.clock = options.clock ?? systemClock;
    this.policy = options.loudness ?? DEFAULT_LOUDNESS_POLICY;
    this.blockFrames = options.blockFrames ?? 4096;
    this.volume = new GainRamp(volumeToGain(options.volume ?? 100));
    this.crossfadeFrames = secondsToFrames(options.crossfadeSeconds ?? 0);
  }

  /** Adds a track to the end of the queue (and wakes the player if it was idle). */
  enqueue(item: PlayItem): void {
    this.queue.push(item);
    this.signal();
  }

  /** Tracks waiting behind the one playing (including the one being decoded ahead). */
  get queued(): number {
    return this.queue.length + (this.next ? 1 : 0);
  }

  /** The track playing now, if any. */
  get nowPlaying(): string | undefined {
    return this.current?.item.trackId;
  }

  /** Moves the block volume (0-100) to `volume` over `rampMs`, starting from wherever it is now. */
  setVolume(volume: number, rampMs = 1000): void {
    this.volume.rampTo(volumeToGain(volume), secondsToFrames(rampMs / 1000));
  }

  /** Changes the crossfade for the next transition; 0 makes transitions gapless. */
  setCrossfade(seconds: number): void {
    this.crossfadeFrames = secondsToFrames(seconds);
  }

  /** Starts the playback loop; resolves at once. Use `stop()` (or the `error` event) to learn when it ends. */
  start(): void {
    if (this.running) return;
    this.stopRequest = undefined;
    this.running = this.loop().catch((error: unknown) => {
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
    });
  }

  /**
   * Fades out over `fadeMs` (a 10 ms de-click for a hard stop), ends the current track as 'stopped', and resolves
   * once nothing more will be written. Queued tracks stay queued. Audio already buffered by the output still plays.
   */
  async stop(options: { fadeMs?: number } = {}): Promise<void> {
    const fadeMs = Math.max(DECLICK_MS, options.fadeMs ?? DECLICK_MS);
    this.stopRequest = { fadeFrames: secondsToFrames(fadeMs / 1000) };
    this.signal();
    await this.running;
    this.running = undefined;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async loop(): Promise<void> {
    let fading = false;
    for (;;) {
      if (this.stopRequest && !fading) {
        if (!this.current) break;
        fading = true;
        this.volumeBeforeStop = this.volume.destination;
        this.volume.rampTo(0, this.stopRequest.fadeFrames);
      }
      // The fade is over, or the track ran out during it: either way nothing more is written.
      if (fading && (!this.volume.ramping || !this.current)) {
        await this.finish(this.current, 'stopped');
        this.current = undefined;
        // A later start() resumes at the volume the block had, not at the faded-out zero.
        this.volume.rampTo(this.volumeBeforeStop, 0);
        break;
      }
      if (!this.current) {
        this.current = await this.takeNext();
        if (!this.current) {
          this.emit('idle');
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
      }
      await this.step(this.current);
    }
  }

  /** Writes the next block of the current track, or performs the transition when its end is reached. */
  private async step(deck: Deck): Promise<void> {
    const fade = this.crossfadeFrames;
    await deck.fill(fade + this.blockFrames);
    this.prefetch();
    const hasNext = this.next !== undefined;
    if (deck.eof && deck.buffered === 0) {
      await this.finish(deck, deck.failure ? 'failed' : 'completed', deck.failure);
      this.current = undefined;
      return;
    }
    if (deck.eof && hasNext && fade > 0 && deck.buffered <= fade && !this.stopRequest) {
      await this.crossfadeInto(deck);
      return;
    }
    const holdBack = hasNext && !this.stopRequest ? Math.min(fade, deck.buffered) : 0;
    const count = Math.min(this.blockFrames, deck.buffered - holdBack);
    await this.write(deck, deck.take(count));
  }

  /** Mixes the current track's last frames with the next track's first frames, then hands over to the next track. */
  private async crossfadeInto(outgoing: Deck): Promise<void> {
    const tail = outgoing.take(outgoing.buffered);
    const incoming = await this.takeNext();
    if (!incoming) {
      await this.write(outgoing, tail);
      return;
    }
    await incoming.fill(frames(tail));
    const head = incoming.take(frames(tail));
    this.markStarted(incoming);
    const mixed = crossfade(tail, head);
    for (let at = 0; at < frames(mixed); at += this.blockFrames) {
      const end = Math.min(frames(mixed), at + this.blockFrames);
      await this.writeRaw({ left: mixed.left.slice(at, end), right: mixed.right.slice(at, end) });
    }
    await this.finish(outgoing, outgoing.failure ? 'failed' : 'completed', outgoing.failure);
    this.current = incoming;
  }

  /** Opens the next queued track ahead of time, so its decoder is warm before the current track ends. */
  private prefetch(): void {
    if (this.next || this.queue.length === 0) return;
    const item = this.queue.shift() as PlayItem;
    const deck = new Deck(item, dbToGain(trackGainDb(item.loudness, this.policy)));
    this.next = { deck, primed: deck.fill(1) };
  }

  /** The next playable deck (prefetched if possible), skipping tracks whose decoder fails before any audio. */
  private async takeNext(): Promise<Deck | undefined> {
    for (;;) {
      this.prefetch();
      const next = this.next;
      if (!next) return undefined;
      this.next = undefined;
      await next.primed;
      if (next.deck.buffered > 0) return next.deck;
      this.emit('trackFailed', {
        trackId: next.deck.item.trackId,
        error: next.deck.failure?.message ?? 'the track holds no audio',
      });
      await next.deck.close();
    }
  }

  private async write(deck: Deck, block: PcmBlock): Promise<void> {
    this.markStarted(deck);
    await this.writeRaw(block);
  }

  private async writeRaw(block: PcmBlock): Promise<void> {
    if (frames(block) === 0) return;
    this.volume.apply(block);
    await this.output.write(toS16le(block));
  }

  private markStarted(deck: Deck): void {
    if (deck.startedAt) return;
    deck.startedAt = this.clock.now();
    this.emit('trackStarted', {
      trackId: deck.item.trackId,
      startedAt: deck.startedAt,
      gainDb: trackGainDb(deck.item.loudness, this.policy),
    });
  }

  private async finish(deck: Deck | undefined, reason: TrackEndReason, error?: unknown): Promise<void> {
    if (!deck) return;
    await deck.close();
    const message = error === undefined ? undefined : describe(error);
    if (!deck.startedAt) {
      this.emit('trackFailed', { trackId: deck.item.trackId, error: message ?? reason });
      return;
    }
    this.emit('trackEnded', {
      trackId: deck.item.trackId,
      startedAt: deck.startedAt,
      endedAt: this.clock.now(),
      secondsAudible: deck.framesTaken / SAMPLE_RATE,
      reason,
      ...(message === undefined ? {} : { error: message }),
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : JSON.stringify(error);
}

function secondsToFrames(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new AudioError('INVALID_ARGUMENT', `durations must be zero or more seconds (got ${seconds})`);
  }
  return Math.round(seconds * SAMPLE_RATE);
}
