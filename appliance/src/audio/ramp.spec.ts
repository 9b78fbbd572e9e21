import { type PcmBlock } from './format';
import { GainRamp } from './ramp';

const ones = (n: number): PcmBlock => ({ left: new Float32Array(n).fill(1), right: new Float32Array(n).fill(1) });

describe('GainRamp', () => {
  it('steps linearly from the current gain to the target, one step per frame, then holds', () => {
    const ramp = new GainRamp(1);
    ramp.rampTo(0, 4);
    const out = ramp.apply(ones(6));
    expect(Array.from(out.left)).toEqual([0.75, 0.5, 0.25, 0, 0, 0]);
    expect(Array.from(out.right)).toEqual(Array.from(out.left));
    expect(ramp.ramping).toBe(false);
    expect(ramp.current).toBe(0);
  });

  it('continues a ramp across block boundaries exactly as within one block', () => {
    const split = new GainRamp(0);
    split.rampTo(1, 8);
    const parts = [split.apply(ones(3)), split.apply(ones(5)), split.apply(ones(2))];
    const whole = new GainRamp(0);
    whole.rampTo(1, 8);
    const expected = whole.apply(ones(10));
    expect(parts.flatMap((p) => Array.from(p.left))).toEqual(Array.from(expected.left));
  });

  it('a new target mid-ramp starts from where the gain is (no jump)', () => {
    const ramp = new GainRamp(1);
    ramp.rampTo(0, 4);
    ramp.apply(ones(2)); // now at 0.5
    ramp.rampTo(1, 2);
    expect(Array.from(ramp.apply(ones(3)).left)).toEqual([0.75, 1, 1]);
  });

  it('a zero-length ramp sets the gain at once', () => {
    const ramp = new GainRamp(1);
    ramp.rampTo(0.5, 0);
    expect(Array.from(ramp.apply(ones(2)).left)).toEqual([0.5, 0.5]);
  });

  it('no sample-to-sample jump exceeds the per-frame step (no click)', () => {
    const ramp = new GainRamp(1);
    ramp.rampTo(0.1, 441); // 10 ms
    const out = ramp.apply(ones(1000)).left;
    for (let i = 1; i < out.length; i++) expect(Math.abs(out[i] - out[i - 1])).toBeLessThanOrEqual(0.9 / 441 + 1e-6);
  });
});
