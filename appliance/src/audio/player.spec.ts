import { type Clock } from './clock';
import { type PlayItem } from './deck';
import { type PcmBlock, SAMPLE_RATE, dbToGain } from './format';
import { type AudioOutput } from './output';
import { Player, type TrackEnded, type TrackFailed, type TrackStarted } from './player';

/** Collects every frame written, as left-channel floats (the tests write identical channels). */
class FakeOutput implements AudioOutput {
  readonly left: number[] = [];
  readonly right: number[] = [];
  closed = false;
  async write(chunk: Buffer): Promise<void> {
    for (let i = 0; i < chunk.length; i += 4) {
      this.left.push(chunk.readInt16LE(i) / 32768);
      this.right.push(chunk.readInt16LE(i + 2) / 32768);
    }
    // A macrotask per write, as a real output's back-pressure gives: lets tests act while playback runs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** A clock that advances one second per reading, so every event has a distinct, predictable instant. */
function steppingClock(): Clock {
  let t = Date.UTC(2026, 10, 24, 9, 0, 0);
  return {
    now: () => {
      const d = new Date(t);
      t += 1000;
      return d;
    },
  };
}

/** A track whose every sample is `value`, delivered in irregular block sizes like a real decoder's. */
function constantTrack(trackId: string, value: number, length: number, extra: Partial<PlayItem> = {}): PlayItem {
  return {
    trackId,
    ...extra,
    async *open(): AsyncGenerator<PcmBlock> {
      const sizes = [1000, 3, 4096, 777];
      let done = 0;
      for (let i = 0; done < length; i++) {
        const n = Math.min(sizes[i % sizes.length], length - done);
        yield { left: new Float32Array(n).fill(value), right: new Float32Array(n).fill(value) };
        done += n;
        await Promise.resolve();
      }
    },
  };
}

function failingTrack(trackId: string, afterFrames: number): PlayItem {
  return {
    trackId,
    async *open(): AsyncGenerator<PcmBlock> {
      if (afterFrames > 0)
        yield { left: new Float32Array(afterFrames).fill(0.5), right: new Float32Array(afterFrames).fill(0.5) };
      await Promise.resolve();
      throw new Error('corrupt frame');
    },
  };
}

/** Runs the player until the queue is empty and returns what it wrote and emitted. */
async function playAll(items: PlayItem[], options: { crossfadeSeconds?: number; volume?: number } = {}) {
  const output = new FakeOutput();
  const player = new Player({ output, clock: steppingClock(), blockFrames: 1024, ...options });
  const started: TrackStarted[] = [];
  const ended: TrackEnded[] = [];
  const failed: TrackFailed[] = [];
  player.on('trackStarted', (e) => started.push(e));
  player.on('trackEnded', (e) => ended.push(e));
  player.on('trackFailed', (e) => failed.push(e));
  const idle = new Promise<void>((resolve) => player.once('idle', resolve));
  items.forEach((item) => player.enqueue(item));
  player.start();
  await idle;
  await player.stop();
  return { output, started, ended, failed };
}

/** Lengths of runs of equal consecutive samples: [[value, count], ...]. */
function runs(samples: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const s of samples) {
    const last = out[out.length - 1];
    if (last && last[0] === s) last[1] += 1;
    else out.push([s, 1]);
  }
  return out;
}

const q = (x: number) => Math.round(x * 32768) / 32768;

describe('Player: gapless sequencing', () => {
  it('writes consecutive tracks back to back, sample-exact, with no inserted silence', async () => {
    const { output } = await playAll([
      constantTrack('a', 0.25, 5000),
      constantTrack('b', 0.5, 3000),
      constantTrack('c', -0.25, 7001),
    ]);
    expect(runs(output.left)).toEqual([
      [0.25, 5000],
      [0.5, 3000],
      [-0.25, 7001],
    ]);
    expect(output.right).toEqual(output.left);
  });

  it('reports each track started and ended, in order, with seconds audible and injected-clock instants', async () => {
    const { started, ended } = await playAll([constantTrack('a', 0.25, 44_100), constantTrack('b', 0.5, 22_050)]);
    expect(started.map((s) => [s.trackId, s.startedAt.toISOString(), s.gainDb])).toEqual([
      ['a', '2026-11-24T09:00:00.000Z', 0],
      ['b', '2026-11-24T09:00:02.000Z', 0],
    ]);
    expect(ended).toEqual([
      {
        trackId: 'a',
        startedAt: new Date('2026-11-24T09:00:00.000Z'),
        endedAt: new Date('2026-11-24T09:00:01.000Z'),
        secondsAudible: 1,
        reason: 'completed',
      },
      {
        trackId: 'b',
        startedAt: new Date('2026-11-24T09:00:02.000Z'),
        endedAt: new Date('2026-11-24T09:00:03.000Z'),
        secondsAudible: 0.5,
        reason: 'completed',
      },
    ]);
  });

  it('applies each track its loudness gain (target -16 LUFS, capped at -1 dBTP) and the block volume', async () => {
    const { output, started } = await playAll(
      [
        constantTrack('quiet', 0.1, 100, { loudness: { integratedLufs: -22, truePeakDbtp: -3 } }), // +2 dB (peak cap)
        constantTrack('loud', 0.4, 100, { loudness: { integratedLufs: -10, truePeakDbtp: 0 } }), // -6 dB
      ],
      { volume: 50 },
    );
    expect(started.map((s) => s.gainDb)).toEqual([2, -6]);
    expect(output.left[50]).toBeCloseTo(q(0.1 * dbToGain(2) * 0.125), 4);
    expect(output.left[150]).toBeCloseTo(q(0.4 * dbToGain(-6) * 0.125), 4);
  });

  it('skips a track whose decoder fails before any audio, reporting it as failed, and plays the next', async () => {
    const { output, failed, ended } = await playAll([
      constantTrack('a', 0.25, 2000),
      failingTrack('broken', 0),
      constantTrack('c', 0.5, 2000),
    ]);
    expect(failed).toEqual([{ trackId: 'broken', error: 'corrupt frame' }]);
    expect(ended.map((e) => [e.trackId, e.reason])).toEqual([
      ['a', 'completed'],
      ['c', 'completed'],
    ]);
    expect(runs(output.left)).toEqual([
      [0.25, 2000],
      [0.5, 2000],
    ]);
  });

  it('ends a track that fails mid-way as failed, with the seconds that were heard, and goes on', async () => {
    const { output, ended } = await playAll([failingTrack('half', 4410), constantTrack('b', 0.25, 1000)]);
    expect(ended.map((e) => [e.trackId, e.reason, e.secondsAudible, e.error])).toEqual([
      ['half', 'failed', 0.1, 'corrupt frame'],
      ['b', 'completed', 1000 / SAMPLE_RATE, undefined],
    ]);
    expect(runs(output.left)).toEqual([
      [0.5, 4410],
      [0.25, 1000],
    ]);
  });
});

describe('Player: crossfade', () => {
  it('overlaps the last N seconds of one track with the first N of the next, equal-power', async () => {
    const fade = 441; // 10 ms
    const { output, ended, started } = await playAll([constantTrack('a', 0.5, 5000), constantTrack('b', 0.5, 5000)], {
      crossfadeSeconds: fade / SAMPLE_RATE,
    });
    expect(output.left).toHaveLength(10_000 - fade);
    // Mid-fade, two equal signals at cos/sin(45 deg) sum to sqrt(2) x 0.5.
    expect(output.left[5000 - fade + 220]).toBeCloseTo(0.5 * Math.SQRT2, 2);
    expect(output.left[4000]).toBeCloseTo(0.5, 4);
    expect(output.left[9000]).toBeCloseTo(0.5, 4);
    expect(started.map((s) => s.trackId)).toEqual(['a', 'b']);
    expect(ended.map((e) => [e.trackId, e.secondsAudible * SAMPLE_RATE])).toEqual([
      ['a', 5000],
      ['b', 5000],
    ]);
  });

  it('plays the last track out in full when nothing follows it', async () => {
    const { output } = await playAll([constantTrack('a', 0.25, 5000)], { crossfadeSeconds: 0.05 });
    expect(runs(output.left)).toEqual([[0.25, 5000]]);
  });
});

describe('Player: volume and stop', () => {
  it('ramps to a new block volume without a step', async () => {
    const output = new FakeOutput();
    const player = new Player({ output, blockFrames: 256, volume: 100 });
    player.enqueue(constantTrack('a', 0.5, 20_000));
    player.setVolume(50, 10); // 441 frames, set before start so the ramp begins at frame 0
    const idle = new Promise<void>((resolve) => player.once('idle', resolve));
    player.start();
    await idle;
    await player.stop();
    for (let i = 1; i < output.left.length; i++) {
      expect(Math.abs(output.left[i] - output.left[i - 1])).toBeLessThanOrEqual(0.5 * (0.875 / 441) + 2 / 32768);
    }
    expect(output.left[19_999]).toBeCloseTo(0.5 * 0.125, 4);
  });

  it('a fade-out stop ramps to silence, ends the track as stopped, and a later start resumes at the block volume', async () => {
    const output = new FakeOutput();
    const player = new Player({ output, blockFrames: 441, volume: 100, clock: steppingClock() });
    const ended: TrackEnded[] = [];
    player.on('trackEnded', (e) => ended.push(e));
    player.enqueue(constantTrack('long', 0.5, 10 * SAMPLE_RATE));
    player.start();
    while (output.left.length < SAMPLE_RATE) await new Promise((resolve) => setImmediate(resolve));
    await player.stop({ fadeMs: 100 });
    const written = output.left.length;
    expect(output.left[written - 1]).toBe(0);
    expect(ended).toHaveLength(1);
    expect(ended[0].reason).toBe('stopped');
    expect(ended[0].secondsAudible).toBeGreaterThan(1);
    expect(ended[0].secondsAudible).toBeLessThan(10);

    const idle = new Promise<void>((resolve) => player.once('idle', resolve));
    player.enqueue(constantTrack('next', 0.5, 1000));
    player.start();
    await idle;
    await player.stop();
    expect(output.left[written + 500]).toBeCloseTo(0.5, 4);
  });

  it('reports idle when the queue runs dry and plays again when a track is enqueued', async () => {
    const output = new FakeOutput();
    const player = new Player({ output });
    let idles = 0;
    player.on('idle', () => (idles += 1));
    const firstIdle = new Promise<void>((resolve) => player.once('idle', resolve));
    player.start();
    await firstIdle;
    const secondIdle = new Promise<void>((resolve) => player.once('idle', resolve));
    player.enqueue(constantTrack('a', 0.25, 100));
    await secondIdle;
    await player.stop();
    expect(idles).toBe(2);
    expect(output.left).toHaveLength(100);
  });
});
