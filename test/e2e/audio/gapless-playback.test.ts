import {
  Player,
  PulseAudioOutput,
  type PlayItem,
  type TrackEnded,
  type TrackStarted,
  decodeMp3,
  trackGainDb,
  volumeToGain,
} from '../../../appliance/src/audio';
import { align, endOfAudio, firstAbove, fitGain, leftChannel, toDb } from '../../support/audio-analysis';
import { SIGNALS, chunksOf, makeMp3, referenceDecode, requireAudioTools } from '../../support/audio-fixtures';
import { pulseSuite } from '../../support/pulse';

const RATE = 44_100;
const MAX_GAP_FRAMES = 441; // 10 ms

describe('gapless playback through PulseAudio (captured at the sink)', () => {
  const { pulse, dir } = pulseSuite('roomtone-audio-', requireAudioTools);

  it('three tracks play in order, at the block volume times each track gain, with no gap over 10 ms', async () => {
    const files = [
      makeMp3(dir, 'a-chirp-up', SIGNALS.chirpUp(2)),
      makeMp3(dir, 'b-pink-noise', SIGNALS.pinkNoise(2)),
      makeMp3(dir, 'c-chirp-down', SIGNALS.chirpDown(2)),
    ];
    // Track B claims to be 4 dB quiet (target -16 LUFS, measured -20) with plenty of headroom: it gets +4 dB.
    const loudness = [undefined, { integratedLufs: -20, truePeakDbtp: -8 }, undefined];
    const volume = 70;
    const references = files.map((f) => leftChannel(referenceDecode(f)));

    const output = new PulseAudioOutput({ socketPath: pulse.socketPath, sink: pulse.captureSink });
    await output.open();
    const player = new Player({ output, volume });
    const started: TrackStarted[] = [];
    const ended: TrackEnded[] = [];
    player.on('trackStarted', (e) => started.push(e));
    player.on('trackEnded', (e) => ended.push(e));
    const idle = new Promise<void>((resolve) => player.once('idle', resolve));

    const mark = pulse.mark();
    files.forEach((file, i) => {
      const item: PlayItem = {
        trackId: `track-${i}`,
        ...(loudness[i] ? { loudness: loudness[i] } : {}),
        open: () => decodeMp3(chunksOf(file)),
      };
      player.enqueue(item);
    });
    player.start();
    await idle;
    await output.close(); // drains: everything written has reached the capture sink
    await player.stop();
    await pulse.captureFor(300);

    const captured = leftChannel(pulse.captured(mark));
    const start = firstAbove(captured, 0.001);
    expect(start).toBeGreaterThanOrEqual(0);

    // Each track is found where the previous one ended, by cross-correlation of its first 0.2 s.
    const pattern = (ref: Float64Array) => ref.subarray(0, Math.round(0.2 * RATE));
    const offsets: number[] = [];
    const correlations: number[] = [];
    let expectedAt = start;
    references.forEach((ref, i) => {
      const window = i === 0 ? 2000 : 4410;
      const found = align(captured, pattern(ref), expectedAt - window, expectedAt + window);
      offsets.push(found.offset);
      correlations.push(found.correlation);
      expectedAt = found.offset + ref.length;
    });
    const gaps = [offsets[1] - (offsets[0] + references[0].length), offsets[2] - (offsets[1] + references[1].length)];
    const gains = references.map((ref, i) => fitGain(captured, ref, offsets[i]));
    const expectedDb = loudness.map((l) => toDb(volumeToGain(volume)) + trackGainDb(l));
    console.log(
      `gapless: offsets ${offsets.join(', ')}; gaps ${gaps.join(', ')} frames; correlation ${correlations
        .map((c) => c.toFixed(4))
        .join(', ')}; gain ${gains.map((g) => toDb(g.gain).toFixed(3)).join(', ')} dB (expected ${expectedDb
        .map((d) => d.toFixed(3))
        .join(', ')}); residual ${gains.map((g) => g.residual.toFixed(4)).join(', ')}`,
    );

    // In order: each track's own signature is found, after the previous one.
    for (const c of correlations) expect(c).toBeGreaterThan(0.99);
    expect(offsets[0]).toBeLessThan(offsets[1]);
    expect(offsets[1]).toBeLessThan(offsets[2]);
    // Gapless: the next track starts within 10 ms of the previous one's last sample (never overlapping it).
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(MAX_GAP_FRAMES);
    }
    // At the requested volume: measured gain within 0.5 dB of volume x track gain.
    gains.forEach((g, i) => expect(Math.abs(toDb(g.gain) - expectedDb[i])).toBeLessThan(0.5));
    // Whole tracks, no dropout inside: what was heard is the reference to within 2% (an underrun would leave ~100%).
    for (const g of gains) expect(g.residual).toBeLessThan(0.02);
    // And nothing after the last track.
    const last = offsets[2] + references[2].length;
    expect(endOfAudio(captured, 0.001)).toBeLessThanOrEqual(last + MAX_GAP_FRAMES);

    // Events for the play log: in order, each with the seconds the capture shows.
    expect(started.map((e) => e.trackId)).toEqual(['track-0', 'track-1', 'track-2']);
    expect(ended.map((e) => [e.trackId, e.reason])).toEqual([
      ['track-0', 'completed'],
      ['track-1', 'completed'],
      ['track-2', 'completed'],
    ]);
    ended.forEach((e, i) => expect(e.secondsAudible).toBeCloseTo(references[i].length / RATE, 3));
  });
});
