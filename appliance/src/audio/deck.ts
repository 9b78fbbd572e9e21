import { type PcmBlock, concatBlocks, frames, sliceBlock } from './format';
import { type TrackLoudness } from './gain';

/** One track the player can play: an id for the play log, its measured loudness, and a way to get its PCM. */
export interface PlayItem {
  trackId: string;
  loudness?: TrackLoudness;
  /** Starts decoding; called once, when the track is about to be needed (one track ahead of the one playing). */
  open(): AsyncIterable<PcmBlock>;
}

/**
 * A track being read: pulls decoded blocks on demand and keeps a small lookahead so the player knows, before the
 * track runs out, where its end is (for gapless joins and crossfades).
 */
export class Deck {
  private readonly iterator: AsyncIterator<PcmBlock>;
  private readonly buffer: PcmBlock[] = [];
  private bufferedFrames = 0;
  private ended = false;
  private error: Error | undefined;
  /** Frames handed to the player so far. */
  framesTaken = 0;
  /** When the first frame of this track was handed to the output. */
  startedAt: Date | undefined;

  constructor(
    readonly item: PlayItem,
    /** Linear gain applied to every frame taken (loudness normalisation). */
    readonly gain: number,
  ) {
    this.iterator = item.open()[Symbol.asyncIterator]();
  }

  /** True once the decoder has no more audio (what is buffered is the end of the track). */
  get eof(): boolean {
    return this.ended;
  }

  /** Why decoding stopped early, if it did; what was decoded before the failure still plays. */
  get failure(): Error | undefined {
    return this.error;
  }

  /** Frames decoded but not yet taken. */
  get buffered(): number {
    return this.bufferedFrames;
  }

  /**
   * Decodes until at least `count` frames are buffered or the track has ended. A decoder error ends the track there
   * (recorded in `failure`) rather than propagating: a corrupt frame must not cut off what was already decoded.
   */
  async fill(count: number): Promise<void> {
    while (!this.ended && this.bufferedFrames < count) {
      try {
        const next = await this.iterator.next();
        if (next.done) {
          this.ended = true;
        } else if (frames(next.value) > 0) {
          this.buffer.push(next.value);
          this.bufferedFrames += frames(next.value);
        }
      } catch (error) {
        this.ended = true;
        this.error = error instanceof Error ? error : new Error(JSON.stringify(error));
      }
    }
  }

  /** Removes up to `count` buffered frames, with the track's gain applied (a fresh copy the caller may modify). */
  take(count: number): PcmBlock {
    const n = Math.min(count, this.bufferedFrames);
    const parts: PcmBlock[] = [];
    let need = n;
    while (need > 0) {
      const head = this.buffer[0];
      const len = frames(head);
      if (len <= need) {
        parts.push(head);
        this.buffer.shift();
        need -= len;
      } else {
        parts.push(sliceBlock(head, 0, need));
        this.buffer[0] = sliceBlock(head, need, len);
        need = 0;
      }
    }
    this.bufferedFrames -= n;
    this.framesTaken += n;
    const out = concatBlocks(parts);
    if (this.gain !== 1) {
      for (let i = 0; i < n; i++) {
        out.left[i] *= this.gain;
        out.right[i] *= this.gain;
      }
    }
    return out;
  }

  /** Stops decoding and releases the decoder (it is freed in the generator's finally). */
  async close(): Promise<void> {
    this.buffer.length = 0;
    this.bufferedFrames = 0;
    this.ended = true;
    await this.iterator.return?.();
  }
}
