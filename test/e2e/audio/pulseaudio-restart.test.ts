import { performance } from 'node:perf_hooks';
import { Player, PulseAudioOutput, decodeMp3 } from '../../../appliance/src/audio';
import { align, endOfAudio, firstAbove, leftChannel } from '../../support/audio-analysis';
import { SIGNALS, chunksOf, makeMp3, referenceDecode, requireAudioTools } from '../../support/audio-fixtures';
import { pulseSuite } from '../../support/pulse';

const RATE = 44_100;

describe('PulseAudio restarting under the player', () => {
  const { pulse, dir } = pulseSuite('roomtone-audio-', requireAudioTools);

  it('killed (SIGKILL) and restarted mid-track: the adapter reconnects and the track resumes within 5 s', async () => {
    const file = makeMp3(dir, 'noise-10s', SIGNALS.pinkNoise(10, 11));
    const reference = leftChannel(referenceDecode(file));
    const output = new PulseAudioOutput({ socketPath: pulse.socketPath, sink: pulse.captureSink });
    const connections: number[] = [];
    const disconnections: string[] = [];
    const timeline: string[] = [];
    const at = () => performance.now().toFixed(0);
    output.on('connected', (e) => {
      connections.push(e.attempt);
      timeline.push(`${at()} connected (attempt ${e.attempt})`);
    });
    output.on('connectFailed', (e) => timeline.push(`${at()} attempt ${e.attempt} failed: ${e.reason}`));
    output.on('disconnected', (e) => {
      disconnections.push(e.reason);
      timeline.push(`${at()} disconnected: ${e.reason}`);
    });
    await output.open();
    const player = new Player({ output, volume: 100 });
    const errors: Error[] = [];
    player.on('error', (e) => {
      errors.push(e);
      timeline.push(`${at()} player error: ${e.message}`);
    });

    const firstGeneration = pulse.currentGeneration;
    const mark = pulse.mark();
    player.enqueue({ trackId: 'noise', open: () => decodeMp3(chunksOf(file)) });
    player.start();
    await pulse.waitForCapture(() => pulse.firstAudibleAt(mark) !== undefined, 5000);
    await pulse.captureFor(1500);

    const killedAt = performance.now();
    timeline.push(`${at()} kill`);
    await pulse.restart('SIGKILL');
    const readyAt = performance.now();
    timeline.push(`${at()} daemon ready`);
    const secondGeneration = pulse.currentGeneration;
    const afterRestart = pulse.mark();
    try {
      // Waits longer than the 5 s asserted below, so a slow resume fails with its measured figure.
      await pulse.waitForCapture(() => pulse.firstAudibleAt(afterRestart, 64, secondGeneration) !== undefined, 15_000);
    } catch (error) {
      throw new Error(`no audio after the restart; timeline (ms): ${timeline.join('; ')}`, { cause: error });
    }
    const resumedAt = pulse.firstAudibleAt(afterRestart, 64, secondGeneration) as number;
    await pulse.captureFor(1000);
    await player.stop();
    await output.close({ discard: true });

    // Where the track was when the daemon died, and where it resumed, by cross-correlation with the reference.
    const before = leftChannel(pulse.captured(mark, firstGeneration));
    const after = leftChannel(pulse.captured(afterRestart, secondGeneration));
    const trackStart = align(before, reference.subarray(0, 8820), 0, firstAbove(before, 0.001) + 2000).offset;
    const playedBefore = endOfAudio(before, 0.001) - trackStart;
    const onset = firstAbove(after, 0.001);
    const probe = after.subarray(onset + 2205, onset + 2205 + 4410);
    const found = align(reference, probe, playedBefore - RATE / 2, playedBefore + 2 * RATE);
    const resumedFrom = found.offset - 2205;
    console.log(
      `restart: daemon back ${(readyAt - killedAt).toFixed(0)} ms after the kill; audio again ${(
        resumedAt - readyAt
      ).toFixed(0)} ms after it was back (${(resumedAt - killedAt).toFixed(0)} ms after the kill); track played to ${(
        playedBefore / RATE
      ).toFixed(3)} s, resumed at ${(resumedFrom / RATE).toFixed(3)} s (correlation ${found.correlation.toFixed(
        4,
      )}); connections ${connections.join(',')}; lost: ${disconnections.join('; ')}`,
    );

    expect(errors).toEqual([]);
    expect(disconnections).toHaveLength(1);
    expect(connections).toHaveLength(2);
    expect(resumedAt - readyAt).toBeLessThanOrEqual(5000);
    // It resumed the same track where it was, not from the start and not far ahead: at most the audio the dead
    // daemon had buffered (500 ms) plus the chunk in flight (~93 ms) is lost.
    expect(found.correlation).toBeGreaterThan(0.99);
    expect(resumedFrom).toBeGreaterThanOrEqual(playedBefore - 441);
    expect(resumedFrom - playedBefore).toBeLessThan(0.7 * RATE);
  });
});
