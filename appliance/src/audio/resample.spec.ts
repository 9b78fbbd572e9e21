import { StreamResampler } from './resample';

describe('StreamResampler to 44.1 kHz stereo', () => {
  it('passes 44.1 kHz stereo through unchanged', () => {
    const r = new StreamResampler(44_100);
    const left = Float32Array.from([0.1, -0.2, 0.3]);
    const right = Float32Array.from([0.4, 0.5, -0.6]);
    const out = r.push([left, right]);
    expect(out.left).toEqual(left);
    expect(out.right).toEqual(right);
  });

  it('upmixes mono to identical left and right at full level (22.05 kHz mono previews)', () => {
    const r = new StreamResampler(22_050);
    const out = r.push([Float32Array.from([0, 1, 0, -1])]);
    expect(Array.from(out.left)).toEqual([0, 0.5, 1, 0.5, 0, -0.5]);
    expect(out.right).toEqual(out.left);
  });

  it('gives the same samples whatever the block boundaries', () => {
    const input = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7));
    const whole = new StreamResampler(22_050).push([input]).left;
    const split = new StreamResampler(22_050);
    const parts = [
      split.push([input.subarray(0, 1)]),
      split.push([input.subarray(1, 333)]),
      split.push([input.subarray(333, 334)]),
      split.push([input.subarray(334)]),
    ];
    const joined = parts.flatMap((p) => Array.from(p.left));
    expect(joined.length).toBe(whole.length);
    joined.forEach((v, i) => expect(v).toBeCloseTo(whole[i], 6));
  });

  it('keeps duration and pitch: 1 s of 1 kHz at 22.05 kHz becomes 1 s of 1 kHz at 44.1 kHz', () => {
    const input = Float32Array.from({ length: 22_050 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 22_050));
    const resampler = new StreamResampler(22_050);
    const body = resampler.push([input]).left;
    const tail = resampler.flush().left;
    const out = Float32Array.from([...body, ...tail]);
    expect(tail.length).toBe(1); // the output sample on the last source sample waits for the end of the stream
    expect(out.length).toBe(44_099); // 0, 0.5, ... 22049 source frames: the last has no half-step after it
    let worst = 0;
    for (let i = 0; i < out.length; i++) {
      worst = Math.max(worst, Math.abs(out[i] - Math.sin((2 * Math.PI * 1000 * i) / 44_100)));
    }
    expect(worst).toBeLessThan(0.03); // linear interpolation error at 1 kHz: 1 - cos(pi * 1000 / 22050) ~ 0.01
  });

  it('downsamples 48 kHz by skipping fractionally', () => {
    const input = Float32Array.from({ length: 4800 }, (_, i) => i / 4800);
    const out = new StreamResampler(48_000).push([input, input]).left;
    expect(out.length).toBe(4410);
    expect(out[4409]).toBeCloseTo((4409 * 48_000) / 44_100 / 4800, 6);
  });
});
