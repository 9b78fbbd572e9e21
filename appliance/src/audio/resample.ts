import { type PcmBlock, SAMPLE_RATE } from './format';

/**
 * Streaming converter of planar audio at any rate and 1 or 2 channels to 44.1 kHz stereo. Mono is copied to both
 * channels (no -3 dB pan law: a mono preview should sound as loud as the stereo master). Rate conversion is linear
 * interpolation carried across block boundaries, which is enough for the previews that need it (22.05 kHz mono,
 * 48 kbps) and exact for 44.1 kHz sources, which pass through untouched.
 */
export class StreamResampler {
  /** Source frames consumed so far, as a fractional read position relative to the next block's first frame. */
  private position = 0;
  private lastLeft = 0;
  private lastRight = 0;
  private primed = false;

  constructor(private readonly sourceRate: number) {
    if (!(sourceRate > 0)) throw new RangeError(`sample rate must be positive (got ${sourceRate})`);
  }

  /** Converts one block of planar channels (1 or 2) at the source rate. */
  push(channels: Float32Array[]): PcmBlock {
    const left = channels[0];
    const right = channels.length > 1 ? channels[1] : channels[0];
    if (this.sourceRate === SAMPLE_RATE) {
      return { left: Float32Array.from(left), right: Float32Array.from(right) };
    }
    return this.interpolate(left, right);
  }

  /**
   * Ends the stream: emits the output sample that falls exactly on the last source sample (it waits for a successor
   * that will never come). Nothing to emit for 44.1 kHz sources.
   */
  flush(): PcmBlock {
    if (this.sourceRate === SAMPLE_RATE || !this.primed || this.position > 1e-9) {
      return { left: new Float32Array(0), right: new Float32Array(0) };
    }
    this.position += this.sourceRate / SAMPLE_RATE;
    return { left: Float32Array.of(this.lastLeft), right: Float32Array.of(this.lastRight) };
  }

  private interpolate(left: Float32Array, right: Float32Array): PcmBlock {
    const n = left.length;
    if (n === 0) return { left: new Float32Array(0), right: new Float32Array(0) };
    const ratio = this.sourceRate / SAMPLE_RATE;
    if (!this.primed) {
      // The first output sample sits exactly on the first input sample.
      this.lastLeft = left[0];
      this.lastRight = right[0];
      this.position = 1;
      this.primed = true;
    }
    // Position p is measured in source frames where index -1 is the previous block's last sample (lastLeft).
    const outLeft: number[] = [];
    const outRight: number[] = [];
    let p = this.position - 1;
    while (p < n - 1) {
      const i = Math.floor(p);
      const frac = p - i;
      const l0 = i < 0 ? this.lastLeft : left[i];
      const r0 = i < 0 ? this.lastRight : right[i];
      const l1 = left[i + 1];
      const r1 = right[i + 1];
      outLeft.push(l0 + (l1 - l0) * frac);
      outRight.push(r0 + (r1 - r0) * frac);
      p += ratio;
    }
    // Carry the read position over: next block's index -1 is this block's last sample.
    this.position = p - (n - 1);
    this.lastLeft = left[n - 1];
    this.lastRight = right[n - 1];
    return { left: Float32Array.from(outLeft), right: Float32Array.from(outRight) };
  }
}
