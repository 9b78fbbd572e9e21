import { type PcmBlock, frames } from './format';

/**
 * A gain that moves linearly, sample by sample, from where it is to a target over a number of frames. Any gain change
 * applied as a step makes an audible click; spreading it over tens of milliseconds or more does not.
 */
export class GainRamp {
  private gain: number;
  private target: number;
  private step = 0;
  private remaining = 0;

  constructor(initial: number) {
    this.gain = initial;
    this.target = initial;
  }

  /** The gain the next sample will get. */
  get current(): number {
    return this.gain;
  }

  /** The gain the ramp is heading to (equal to current when settled). */
  get destination(): number {
    return this.target;
  }

  /** True while a ramp is in progress. */
  get ramping(): boolean {
    return this.remaining > 0;
  }

  /** Starts a ramp from the current gain (even mid-ramp, so there is no jump) to `target` over `overFrames`. */
  rampTo(target: number, overFrames: number): void {
    const n = Math.max(0, Math.round(overFrames));
    this.target = target;
    if (n === 0) {
      this.gain = target;
      this.remaining = 0;
      this.step = 0;
      return;
    }
    this.step = (target - this.gain) / n;
    this.remaining = n;
  }

  /** Multiplies the block by the gain, in place, advancing the ramp one step per frame. */
  apply(block: PcmBlock): PcmBlock {
    const n = frames(block);
    const { left, right } = block;
    let i = 0;
    while (i < n && this.remaining > 0) {
      this.gain += this.step;
      this.remaining -= 1;
      if (this.remaining === 0) this.gain = this.target;
      left[i] *= this.gain;
      right[i] *= this.gain;
      i += 1;
    }
    if (i < n && this.gain !== 1) {
      const g = this.gain;
      for (; i < n; i++) {
        left[i] *= g;
        right[i] *= g;
      }
    }
    return block;
  }
}
