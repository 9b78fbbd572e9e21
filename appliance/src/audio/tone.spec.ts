import { gainToDb } from './format';
import { parseTestToneOptions } from './test-tone';
import { generateTone } from './tone';

describe('test tone', () => {
  const samples = (spec: Parameters<typeof generateTone>[0]) =>
    [...generateTone(spec)].flatMap((b) => Array.from(b.left));

  it('is exactly the requested length, peaks at the requested level, and fades in and out over 10 ms', () => {
    const tone = samples({ frequencyHz: 1000, levelDbfs: -12, seconds: 3, fadeMs: 10 });
    expect(tone).toHaveLength(3 * 44_100);
    expect(gainToDb(tone.reduce((m, x) => Math.max(m, Math.abs(x)), 0))).toBeCloseTo(-12, 2);
    expect(tone[0]).toBe(0);
    expect(tone[tone.length - 1]).toBeCloseTo(0, 6);
    // Inside the first 10 ms the envelope is below full level; after it, full level is reached.
    expect(Math.max(...tone.slice(0, 220).map(Math.abs))).toBeLessThan(0.5 * 0.2512);
    expect(Math.max(...tone.slice(441, 882).map(Math.abs))).toBeCloseTo(0.2512, 3);
  });

  it('left and right are identical', () => {
    for (const block of generateTone({ frequencyHz: 440, levelDbfs: -20, seconds: 0.2, fadeMs: 10 })) {
      expect(block.right).toEqual(block.left);
    }
  });

  it.each([
    [{ frequencyHz: 0, levelDbfs: -12, seconds: 1, fadeMs: 10 }, /frequency/],
    [{ frequencyHz: 1000, levelDbfs: 3, seconds: 1, fadeMs: 10 }, /level/],
    [{ frequencyHz: 1000, levelDbfs: -12, seconds: 0, fadeMs: 10 }, /duration/],
  ])('refuses %p', (spec, message) => {
    expect(() => samples(spec)).toThrow(message);
  });
});

describe('test-tone options', () => {
  it('defaults to 3 s on the default sink and server', () => {
    expect(parseTestToneOptions({})).toEqual({ seconds: 3 });
  });

  it('takes --sink, --seconds and --server', () => {
    expect(parseTestToneOptions({ sink: 'lobby', seconds: '1.5', server: '/run/pulse/native' })).toEqual({
      sink: 'lobby',
      seconds: 1.5,
      server: '/run/pulse/native',
    });
  });

  it.each(['ten', '0', '-1', '601', '1e3'])('refuses --seconds %p with INVALID_ARGUMENT', (seconds) => {
    expect(() => parseTestToneOptions({ seconds })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
