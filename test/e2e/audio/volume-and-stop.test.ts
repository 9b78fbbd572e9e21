import { Player, PulseAudioOutput, type TrackEnded, decodeMp3, volumeToGain } from '../../../appliance/src/audio';
import { firstAbove, leftChannel, toDb, windowLevelsDb } from '../../support/audio-analysis';
import { SIGNALS, chunksOf, makeMp3, referenceDecode, requireAudioTools } from '../../support/audio-fixtures';
import { CountingOutput } from '../../support/counting-output';
import { pulseSuite } from '../../support/pulse';

const RATE = 44_100;
/** 10 ms windows: exactly 10 periods of the 1 kHz test sine, so each window's RMS is the sine's level. */
const WINDOW = 441;
const SINE_AMPLITUDE = 0.5;
/** Largest sample-to-sample move in signal[from, to): a gain step (click) shows up as a jump beyond the sine's own. */
function largestStep(signal: Float64Array, from: number, to: number): number {
  let largest = 0;
  for (let i = from + 1; i < to; i++) largest = Math.max(largest, Math.abs(signal[i] - signal[i - 1]));
  return largest;
}

describe('block volume and stops through PulseAudio (captured at the sink)', () => {
  const { pulse, dir } = pulseSuite('roomtone-audio-', requireAudioTools);
  let sineFile: string;
  /** The sine's level as the independent reference decoder (mpg123) hears it; ffmpeg's mono-to-stereo upmix lowers it. */
  let sineRmsDb: number;
  /** The largest sample-to-sample move of the decoded sine itself (MP3 ripple included). */
  let sineMaxStep: number;

  beforeAll(() => {
    sineFile = makeMp3(dir, 'sine-1k', SIGNALS.sine(6, 1000, SINE_AMPLITUDE));
    const reference = leftChannel(referenceDecode(sineFile));
    sineRmsDb = windowLevelsDb(reference, RATE, RATE, 2 * RATE)[0];
    sineMaxStep = largestStep(reference, 4410, 4 * RATE);
  });

  async function playSine(volume: number): Promise<{ player: Player; output: CountingOutput; mark: number }> {
    const pulseOutput = new PulseAudioOutput({ socketPath: pulse.socketPath, sink: pulse.captureSink });
    await pulseOutput.open();
    const output = new CountingOutput(pulseOutput);
    const player = new Player({ output, volume });
    const mark = pulse.mark();
    player.enqueue({ trackId: 'sine', open: () => decodeMp3(chunksOf(sineFile)) });
    player.start();
    await pulse.waitForCapture(() => pulse.firstAudibleAt(mark) !== undefined, 5000);
    return { player, output, mark };
  }

  it('a volume change from 80 to 30 ramps over the requested second, monotonically and without a click', async () => {
    const { player, output, mark } = await playSine(80);
    await output.untilFrames(1.5 * RATE);
    player.setVolume(30, 1000);
    await output.untilFrames(4.5 * RATE);
    await pulse.captureFor(600); // the server buffer's worth, so the capture holds everything written
    await player.stop();
    await output.close({ discard: true });

    const captured = leftChannel(pulse.captured(mark));
    const start = firstAbove(captured, 0.001);
    // Skip the first 100 ms (the decoder's and encoder's own onset), stop before the track's end.
    const levels = windowLevelsDb(captured, WINDOW, start + 4410, start + 4 * RATE);
    const before = sineRmsDb + toDb(volumeToGain(80));
    const after = sineRmsDb + toDb(volumeToGain(30));
    const rampStart = levels.findIndex((l) => l < before - 0.5);
    const rampEnd = levels.findIndex((l) => l <= after + 0.5);
    const rampSeconds = ((rampEnd - rampStart) * WINDOW) / RATE;
    const increases = levels.slice(rampStart, rampEnd).map((l, i, all) => (i === 0 ? 0 : l - all[i - 1]));
    const step = largestStep(captured, start + 4410, start + 4 * RATE);
    const stepBound = sineMaxStep * volumeToGain(80) * 1.02 + 2 / 32768;
    console.log(
      `volume ramp: before ${levels[0].toFixed(2)} dB (expected ${before.toFixed(2)}), after ${levels[
        levels.length - 1
      ].toFixed(
        2,
      )} dB (expected ${after.toFixed(2)}), ramp ${rampSeconds.toFixed(3)} s, largest step ${step.toFixed(4)} (bound ${stepBound.toFixed(4)})`,
    );

    // The ramp was requested once 1.5 s had been written; it starts at the next block (<= 2 x 4096 frames later).
    expect(rampStart * WINDOW + 4410).toBeGreaterThanOrEqual(1.5 * RATE - WINDOW);
    expect(rampStart * WINDOW + 4410).toBeLessThanOrEqual(1.5 * RATE + 2 * 4096 + WINDOW);
    for (const l of levels.slice(0, rampStart)) expect(Math.abs(l - before)).toBeLessThan(0.5);
    for (const l of levels.slice(rampEnd)) expect(Math.abs(l - after)).toBeLessThan(0.5);
    // A linear 1 s amplitude ramp spends ~0.94 s between "0.5 dB below 80" and "within 0.5 dB of 30".
    expect(rampSeconds).toBeGreaterThan(0.85);
    expect(rampSeconds).toBeLessThan(1.05);
    for (const rise of increases) expect(rise).toBeLessThan(0.05);
    // No click: no sample jumps further than the decoded sine itself moves in one sample at volume 80.
    expect(step).toBeLessThanOrEqual(stepBound);
  });

  it('a fade-out stop ends the track as stopped after a smooth 500 ms fade to silence', async () => {
    const { player, output, mark } = await playSine(100);
    const ended: TrackEnded[] = [];
    player.on('trackEnded', (e) => ended.push(e));
    await output.untilFrames(RATE);
    await player.stop({ fadeMs: 500 });
    await output.close();
    await pulse.captureFor(300);

    const captured = leftChannel(pulse.captured(mark));
    const start = firstAbove(captured, 0.001);
    const levels = windowLevelsDb(captured, WINDOW, start + 4410);
    const full = sineRmsDb;
    const fadeStart = levels.findIndex((l) => l < full - 0.5);
    const silentAt = levels.findIndex((l, i) => i > fadeStart && l < -80);
    const fadeSeconds = ((silentAt - fadeStart) * WINDOW) / RATE;
    console.log(`fade-out: ${fadeSeconds.toFixed(3)} s from -0.5 dB to silence; ${ended[0]?.secondsAudible} s audible`);

    expect(fadeSeconds).toBeGreaterThan(0.4);
    expect(fadeSeconds).toBeLessThan(0.55);
    for (const l of levels.slice(silentAt)) expect(l).toBeLessThan(-80);
    expect(ended).toHaveLength(1);
    expect(ended[0].trackId).toBe('sine');
    expect(ended[0].reason).toBe('stopped');
    // What was written: the second we waited for, up to two blocks more, then the 0.5 s fade.
    expect(ended[0].secondsAudible).toBeGreaterThanOrEqual(1.5);
    expect(ended[0].secondsAudible).toBeLessThanOrEqual(1.5 + (2 * 4096 + 1) / RATE);
  });
});
