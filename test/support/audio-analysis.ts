/**
 * Signal analysis for proving from captured audio what was played: alignment by normalized cross-correlation against
 * a reference decode, least-squares gain, residual error, and windowed levels. Signals are interleaved s16 stereo.
 */

/** Left channel of interleaved stereo s16 as floats in [-1, 1]. */
export function leftChannel(interleaved: Int16Array): Float64Array {
  const out = new Float64Array(interleaved.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = interleaved[2 * i] / 32768;
  return out;
}

/** Index of the first sample whose magnitude reaches `threshold`, or -1. */
export function firstAbove(signal: Float64Array, threshold: number, from = 0): number {
  for (let i = from; i < signal.length; i++) if (Math.abs(signal[i]) >= threshold) return i;
  return -1;
}

/** Index after the last sample whose magnitude reaches `threshold` (0 when none). */
export function endOfAudio(signal: Float64Array, threshold: number): number {
  for (let i = signal.length - 1; i >= 0; i--) if (Math.abs(signal[i]) >= threshold) return i + 1;
  return 0;
}

export interface Alignment {
  /** Offset in `signal` where `pattern[0]` lines up best. */
  offset: number;
  /** Normalized correlation at that offset (1 = identical up to a positive gain). */
  correlation: number;
}

/**
 * Finds where `pattern` occurs in `signal` between offsets `from` and `to` (inclusive) by normalized
 * cross-correlation. A chirp or noise pattern has one sharp peak, so the best offset is exact to the sample.
 */
export function align(signal: Float64Array, pattern: Float64Array, from: number, to: number): Alignment {
  let patternEnergy = 0;
  for (const p of pattern) patternEnergy += p * p;
  let best: Alignment = { offset: -1, correlation: -Infinity };
  const n = pattern.length;
  for (let lag = Math.max(0, from); lag <= to && lag + n <= signal.length; lag++) {
    let dot = 0;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const s = signal[lag + i];
      dot += s * pattern[i];
      energy += s * s;
    }
    const c = energy > 0 ? dot / Math.sqrt(energy * patternEnergy) : 0;
    if (c > best.correlation) best = { offset: lag, correlation: c };
  }
  return best;
}

/** Least-squares gain g minimising |signal[offset..] - g*reference|, and the residual relative to g*reference. */
export function fitGain(
  signal: Float64Array,
  reference: Float64Array,
  offset: number,
): { gain: number; residual: number } {
  let dot = 0;
  let refEnergy = 0;
  const n = Math.min(reference.length, signal.length - offset);
  for (let i = 0; i < n; i++) {
    dot += signal[offset + i] * reference[i];
    refEnergy += reference[i] * reference[i];
  }
  const gain = dot / refEnergy;
  let err = 0;
  for (let i = 0; i < n; i++) {
    const e = signal[offset + i] - gain * reference[i];
    err += e * e;
  }
  return { gain, residual: Math.sqrt(err / (gain * gain * refEnergy)) };
}

/** RMS level in dBFS of consecutive windows of `window` samples. */
export function windowLevelsDb(signal: Float64Array, window: number, from = 0, to = signal.length): number[] {
  const out: number[] = [];
  for (let at = from; at + window <= to; at += window) {
    let sum = 0;
    for (let i = at; i < at + window; i++) sum += signal[i] * signal[i];
    out.push(10 * Math.log10(sum / window));
  }
  return out;
}

/** Amplitude ratio in dB. */
export function toDb(gain: number): number {
  return 20 * Math.log10(gain);
}
