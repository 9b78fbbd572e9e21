import { AudioError } from './errors';
import { type PcmBlock, SAMPLE_RATE, dbToGain } from './format';

/** What `test-tone` plays: a sine at a level, for a duration, with fades so it starts and stops without a click. */
export interface ToneSpec {
  frequencyHz: number;
  levelDbfs: number;
  seconds: number;
  fadeMs: number;
}

/** 1 kHz at -12 dBFS for 3 s with 10 ms fades: clearly audible, never harsh, safe on any speaker. */
export const DEFAULT_TONE: ToneSpec = { frequencyHz: 1000, levelDbfs: -12, seconds: 3, fadeMs: 10 };

/** Frames per generated block (~93 ms), small enough for volume changes to act quickly. */
const BLOCK_FRAMES = 4096;

/**
 * Generates a sine tone as 44.1 kHz stereo blocks. The level is the sine's peak in dBFS; the fades are linear in
 * amplitude at both ends.
 */
export function* generateTone(spec: ToneSpec = DEFAULT_TONE): Generator<PcmBlock> {
  const { frequencyHz, levelDbfs, seconds, fadeMs } = spec;
  if (!(frequencyHz > 0 && frequencyHz < SAMPLE_RATE / 2)) {
    throw new AudioError(
      'INVALID_ARGUMENT',
      `tone frequency must be between 0 and ${SAMPLE_RATE / 2} Hz (got ${frequencyHz})`,
    );
  }
  if (!(seconds > 0 && seconds <= 600)) {
    throw new AudioError('INVALID_ARGUMENT', `tone duration must be between 0 and 600 seconds (got ${seconds})`);
  }
  if (!(levelDbfs <= 0))
    throw new AudioError('INVALID_ARGUMENT', `tone level must be at most 0 dBFS (got ${levelDbfs})`);
  const total = Math.round(seconds * SAMPLE_RATE);
  const fade = Math.min(Math.round((fadeMs / 1000) * SAMPLE_RATE), Math.floor(total / 2));
  const amplitude = dbToGain(levelDbfs);
  const w = (2 * Math.PI * frequencyHz) / SAMPLE_RATE;
  for (let start = 0; start < total; start += BLOCK_FRAMES) {
    const n = Math.min(BLOCK_FRAMES, total - start);
    const left = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const t = start + i;
      const envelope = fade === 0 ? 1 : Math.min(1, t / fade, (total - 1 - t) / fade);
      left[i] = amplitude * envelope * Math.sin(w * t);
    }
    yield { left, right: Float32Array.from(left) };
  }
}
