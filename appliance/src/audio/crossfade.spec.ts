import { crossfade } from './crossfade';

describe('equal-power crossfade', () => {
  const constant = (value: number, n: number) => ({
    left: new Float32Array(n).fill(value),
    right: new Float32Array(n).fill(value),
  });

  it('starts as the outgoing track and ends as the incoming one', () => {
    const out = crossfade(constant(1, 101), constant(-1, 101));
    expect(out.left[0]).toBeCloseTo(1, 6);
    expect(out.left[100]).toBeCloseTo(-1, 6);
  });

  it('keeps power constant: the squared fade curves sum to 1 at every point', () => {
    const outOnly = crossfade(constant(1, 51), constant(0, 51)).left;
    const inOnly = crossfade(constant(0, 51), constant(1, 51)).left;
    for (let i = 0; i < 51; i++) expect(outOnly[i] ** 2 + inOnly[i] ** 2).toBeCloseTo(1, 6);
    expect(outOnly[25]).toBeCloseTo(Math.SQRT1_2, 6); // -3 dB each at the midpoint
  });

  it('treats a shorter incoming track as followed by silence', () => {
    const out = crossfade(constant(0, 10), constant(1, 4));
    expect(Array.from(out.left.subarray(4))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
