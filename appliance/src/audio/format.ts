/** The one PCM format the engine produces and the output consumes: signed 16-bit little-endian, 44.1 kHz, stereo. */
export const SAMPLE_RATE = 44_100;
export const CHANNELS = 2;
/** Bytes per stereo s16le frame. */
export const FRAME_BYTES = 4;

/**
 * A block of stereo audio as planar float samples in [-1, 1]. Planar float keeps gain, ramps and mixing exact and
 * simple; conversion to s16le happens once, at the output boundary.
 */
export interface PcmBlock {
  left: Float32Array;
  right: Float32Array;
}

/** Number of frames in a block. */
export function frames(block: PcmBlock): number {
  return block.left.length;
}

/** A silent block of `count` frames. */
export function silence(count: number): PcmBlock {
  return { left: new Float32Array(count), right: new Float32Array(count) };
}

/** Frames `start` (inclusive) to `end` (exclusive) of a block, sharing its memory. */
export function sliceBlock(block: PcmBlock, start: number, end: number): PcmBlock {
  return { left: block.left.subarray(start, end), right: block.right.subarray(start, end) };
}

/** Joins blocks into one (copies). */
export function concatBlocks(blocks: PcmBlock[]): PcmBlock {
  const total = blocks.reduce((n, b) => n + frames(b), 0);
  const out = silence(total);
  let at = 0;
  for (const b of blocks) {
    out.left.set(b.left, at);
    out.right.set(b.right, at);
    at += frames(b);
  }
  return out;
}

/**
 * Interleaves a block into s16le bytes, rounding to nearest and clipping at full scale (a clipped sample is better
 * than the wrap-around an unchecked conversion would produce).
 */
export function toS16le(block: PcmBlock): Buffer {
  const n = frames(block);
  // A typed array writes samples in the machine's byte order; every platform Node supports here is little-endian.
  // This loop runs for every sample played, so it is written out flat (no helper call per sample).
  const samples = new Int16Array(n * CHANNELS);
  const { left, right } = block;
  for (let i = 0; i < n; i++) {
    let l = Math.round(left[i] * 32768);
    let r = Math.round(right[i] * 32768);
    l = l > 32767 ? 32767 : l < -32768 ? -32768 : l;
    r = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    samples[2 * i] = l;
    samples[2 * i + 1] = r;
  }
  return Buffer.from(samples.buffer, 0, n * FRAME_BYTES);
}

/** Converts a decibel value to a linear amplitude factor. */
export function dbToGain(db: number): number {
  return Math.pow(10, db / 20);
}

/** Converts a linear amplitude factor to decibels (-Infinity for 0). */
export function gainToDb(gain: number): number {
  return 20 * Math.log10(gain);
}
