import { AudioError } from './errors';
import { gainToDb } from './format';
import { trackGainDb, volumeToGain } from './gain';

describe('track gain from measured loudness', () => {
  const policy = { targetLufs: -16, ceilingDbtp: -1 };

  it('brings a quiet track up to the target when its peaks allow', () => {
    expect(trackGainDb({ integratedLufs: -20, truePeakDbtp: -8 }, policy)).toBe(4);
  });

  it('brings a loud track down to the target', () => {
    expect(trackGainDb({ integratedLufs: -9, truePeakDbtp: 0.5 }, policy)).toBe(-7);
  });

  it('caps the gain so the true peak stays at -1 dBTP (a quiet track with high peaks ends below target)', () => {
    // Target asks +6 dB, but the peak at -3 dBTP allows only +2 dB.
    expect(trackGainDb({ integratedLufs: -22, truePeakDbtp: -3 }, policy)).toBe(2);
  });

  it('applies no correction when loudness is unknown', () => {
    expect(trackGainDb(undefined, policy)).toBe(0);
  });

  it('refuses non-finite measurements with INVALID_ARGUMENT', () => {
    expect(() => trackGainDb({ integratedLufs: Number.NaN, truePeakDbtp: -1 }, policy)).toThrow(AudioError);
    expect(() => trackGainDb({ integratedLufs: -14, truePeakDbtp: -Infinity }, policy)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('block volume 0-100 (cubic, like PulseAudio)', () => {
  it('100 is unity, 0 is silence', () => {
    expect(volumeToGain(100)).toBe(1);
    expect(volumeToGain(0)).toBe(0);
  });

  it('50 is -18.06 dB, as in pavucontrol', () => {
    expect(gainToDb(volumeToGain(50))).toBeCloseTo(-18.062, 3);
  });

  it('70 is -9.29 dB', () => {
    expect(gainToDb(volumeToGain(70))).toBeCloseTo(-9.294, 3);
  });

  it.each([-1, 101, Number.NaN])('refuses %p with INVALID_ARGUMENT', (v) => {
    expect(() => volumeToGain(v)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
