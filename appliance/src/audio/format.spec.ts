import { toS16le } from './format';

describe('s16le conversion at the output boundary', () => {
  it('interleaves left and right, rounding to the nearest step', () => {
    const out = toS16le({ left: Float32Array.from([0.5, -0.25]), right: Float32Array.from([1 / 32768, 0]) });
    expect([out.readInt16LE(0), out.readInt16LE(2), out.readInt16LE(4), out.readInt16LE(6)]).toEqual([
      16384, 1, -8192, 0,
    ]);
  });

  it('clips beyond full scale instead of wrapping around', () => {
    const out = toS16le({ left: Float32Array.from([1.5]), right: Float32Array.from([-2]) });
    expect([out.readInt16LE(0), out.readInt16LE(2)]).toEqual([32767, -32768]);
  });
});
