import { Player, PulseAudioOutput, type TrackStarted, decodeMp3 } from '../../../appliance/src/audio';
import { align, endOfAudio, firstAbove, fitGain, leftChannel } from '../../support/audio-analysis';
import { SIGNALS, chunksOf, makeMp3, referenceDecode, requireAudioTools } from '../../support/audio-fixtures';
import { pulseSuite } from '../../support/pulse';

const RATE = 44_100;

describe('previews and crossfades through PulseAudio (captured at the sink)', () => {
  const { pulse, dir } = pulseSuite('roomtone-audio-', requireAudioTools);

  async function play(player: Player, output: PulseAudioOutput): Promise<void> {
    const idle = new Promise<void>((resolve) => player.once('idle', resolve));
    player.start();
    await idle;
    await output.close();
    await player.stop();
    await pulse.captureFor(300);
  }

  it('a 22.05 kHz mono 48 kbps preview plays as 44.1 kHz stereo, at its pitch and for its length', async () => {
    const preview = makeMp3(dir, 'preview-1k', SIGNALS.sine(2, 1000, 0.5), {
      bitrateKbps: 48,
      rate: 22_050,
      channels: 1,
    });
    const output = new PulseAudioOutput({ socketPath: pulse.socketPath, sink: pulse.captureSink });
    const player = new Player({ output });
    const mark = pulse.mark();
    player.enqueue({ trackId: 'preview', open: () => decodeMp3(chunksOf(preview)) });
    await play(player, output);

    const interleaved = pulse.captured(mark);
    const left = leftChannel(interleaved);
    const start = firstAbove(left, 0.002);
    const end = endOfAudio(left, 0.002);
    // Zero crossings over the middle second: a 1 kHz sine crosses 2000 times; played at the wrong rate it would not.
    let crossings = 0;
    for (let i = start + RATE / 2 + 1; i <= start + RATE / 2 + RATE; i++) {
      if (left[i - 1] < 0 !== left[i] < 0) crossings += 1;
    }
    let channelsDiffer = 0;
    for (let i = start; i < end; i++) if (interleaved[2 * i] !== interleaved[2 * i + 1]) channelsDiffer += 1;
    console.log(`preview: ${((end - start) / RATE).toFixed(4)} s audible, ${crossings} zero crossings in 1 s`);

    expect(Math.abs(end - start - 2 * RATE)).toBeLessThan(441);
    expect(Math.abs(crossings - 2000)).toBeLessThanOrEqual(2);
    expect(channelsDiffer).toBe(0);
  });

  it('a 1 s crossfade overlaps the tracks by exactly 1 s, each track otherwise intact', async () => {
    const files = [makeMp3(dir, 'x-chirp-up', SIGNALS.chirpUp(3)), makeMp3(dir, 'y-noise', SIGNALS.pinkNoise(3, 5))];
    const references = files.map((f) => leftChannel(referenceDecode(f)));
    const output = new PulseAudioOutput({ socketPath: pulse.socketPath, sink: pulse.captureSink });
    const player = new Player({ output, crossfadeSeconds: 1 });
    const started: TrackStarted[] = [];
    player.on('trackStarted', (e) => started.push(e));
    const mark = pulse.mark();
    files.forEach((file, i) => player.enqueue({ trackId: `t${i}`, open: () => decodeMp3(chunksOf(file)) }));
    await play(player, output);

    const captured = leftChannel(pulse.captured(mark));
    const start = firstAbove(captured, 0.001);
    const first = align(captured, references[0].subarray(0, 8820), start - 2000, start + 2000);
    // The second track's 0.2 s after its fade-in lines up 1 s before the first track's end.
    const expectedSecond = first.offset + references[0].length - RATE;
    const probe = references[1].subarray(RATE, RATE + 8820);
    const second = align(captured, probe, expectedSecond + RATE - 4410, expectedSecond + RATE + 4410);
    const secondStart = second.offset - RATE;
    // Outside the overlap each track is untouched.
    const firstBody = fitGain(
      captured.subarray(0, first.offset + references[0].length - RATE),
      references[0].subarray(0, references[0].length - RATE),
      first.offset,
    );
    const secondBody = fitGain(captured, references[1].subarray(RATE), secondStart + RATE);
    console.log(
      `crossfade: second track starts ${secondStart - expectedSecond} frames from 1 s before the first ends; residuals ${firstBody.residual.toFixed(4)}, ${secondBody.residual.toFixed(4)}`,
    );

    expect(first.correlation).toBeGreaterThan(0.99);
    expect(second.correlation).toBeGreaterThan(0.99);
    expect(secondStart).toBe(expectedSecond);
    expect(firstBody.residual).toBeLessThan(0.02);
    expect(secondBody.residual).toBeLessThan(0.02);
    expect(endOfAudio(captured, 0.001)).toBeLessThanOrEqual(secondStart + references[1].length + 441);
    expect(started.map((s) => s.trackId)).toEqual(['t0', 't1']);
  });
});
