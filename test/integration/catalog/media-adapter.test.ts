import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import {
  DEMO_TRACKS,
  PREVIEW,
  analyseMaster,
  generateDemoMaster,
  measureLoudness,
  planRenditions,
  probeMaster,
  verifyDecodes,
  writeRenditions,
  type DemoFormat,
  type DemoTrackSpec,
  type MediaProblem,
} from '../../../hub/src/catalog/media';
import { requireTool } from '../../support/require-tool';

const spec: DemoTrackSpec = { ...DEMO_TRACKS[0], seconds: 10, leadingSilenceSeconds: 1.5, trailingSilenceSeconds: 2 };

let dir: string;

async function master(name: string, format: DemoFormat, overrides: Partial<DemoTrackSpec> = {}, kbps = 320) {
  const file = path.join(dir, name);
  await generateDemoMaster({ ...spec, ...overrides }, file, format, kbps);
  return file;
}

async function ingestMedia(file: string) {
  const info = await probeMaster(file);
  await verifyDecodes(file, info);
  const analysis = await analyseMaster(file, info.durationSeconds);
  const plan = planRenditions(info, analysis);
  const target = { deliveryPath: `${file}.delivery.mp3`, previewPath: `${file}.preview.mp3` };
  await writeRenditions(file, info, plan, target);
  return { info, analysis, plan, ...target };
}

async function expectRejected(file: string, problem: MediaProblem, message: RegExp) {
  const attempt = (async () => {
    const info = await probeMaster(file);
    await verifyDecodes(file, info);
  })();
  await expect(attempt).rejects.toMatchObject({ problem, message: expect.stringMatching(message) });
}

beforeAll(async () => {
  requireTool('ffmpeg', 'ffmpeg');
  dir = await mkdtemp(path.join(tmpdir(), 'roomtone-media-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probing masters', () => {
  test.each<DemoFormat>(['mp3', 'flac'])(
    '%s master: title, artist, album, label, year, genre, BPM and ISRC read from its tags',
    async (format) => {
      const info = await probeMaster(await master(`tags.${format}`, format));
      expect(info.format).toBe(format);
      expect(info.tags).toEqual({
        title: 'Morning Glass',
        artist: 'Tessellate',
        album: 'Lobby Hours',
        label: 'Roomtone Demo Records',
        year: 2026,
        isrc: 'GBRTD2600001',
        genre: 'Ambient',
        mood: 'calm',
        bpm: 72,
      });
      // 1.5 s lead + 10 s music + 2 s tail; MP3 adds encoder padding of at most two frames (52 ms).
      expect(info.durationSeconds).toBeGreaterThanOrEqual(13.5);
      expect(info.durationSeconds).toBeLessThan(13.56);
    },
  );

  test('wav master: duration exact to the sample; RIFF INFO gives title and artist but no ISRC', async () => {
    const info = await probeMaster(await master('tags.wav', 'wav'));
    expect(info).toMatchObject({ format: 'wav', durationSeconds: 13.5, sampleRate: 44100, channels: 2 });
    expect(info.tags).toMatchObject({ title: 'Morning Glass', artist: 'Tessellate', album: 'Lobby Hours' });
    expect(info.tags.isrc).toBeUndefined();
  });
});

describe('analysis: EBU R128 loudness, true peak, cue points', () => {
  test('cue in after the 1.5 s lead-in, cue out where the 2 s tail of silence starts', async () => {
    const file = await master('cues.wav', 'wav');
    const analysis = await analyseMaster(file, 13.5);
    expect(analysis.cueInSeconds).toBeCloseTo(1.5, 1);
    // The music's last second fades out, so it falls under -50 dBFS a little before 11.5 s.
    expect(analysis.cueOutSeconds).toBeGreaterThan(11.2);
    expect(analysis.cueOutSeconds).toBeLessThanOrEqual(11.5);
    expect(analysis.decodedSeconds).toBeCloseTo(13.5, 2);
  });

  test('a master 14 dB quieter measures 14 LU lower integrated loudness and 14 dB lower true peak', async () => {
    const loud = await analyseMaster(await master('level-1.wav', 'wav', { level: 1 }), 13.5);
    const quiet = await analyseMaster(await master('level-0.2.wav', 'wav', { level: 0.2 }), 13.5);
    const drop = 20 * Math.log10(0.2);
    expect(quiet.loudness.integratedLufs - loud.loudness.integratedLufs).toBeCloseTo(drop, 0);
    expect(quiet.loudness.truePeakDbtp - loud.loudness.truePeakDbtp).toBeCloseTo(drop, 0);
  });
});

describe('renditions', () => {
  test.each([
    ['a normal master', 1],
    ['a quiet master lifted by ~20 dB', 0.2],
    ['a hot master turned down', 2.5],
  ])('preview of %s: 48 kbps, 22.05 kHz mono, -16 LUFS within 1 LU, true peak <= -1 dBTP', async (_name, level) => {
    const result = await ingestMedia(await master(`preview-${level}.flac`, 'flac', { level }));
    const { format } = await parseFile(result.previewPath);
    expect(format).toMatchObject({
      codec: 'MPEG 2 Layer 3',
      sampleRate: PREVIEW.sampleRate,
      numberOfChannels: 1,
      bitrate: 48_000,
    });
    expect(Math.abs(format.duration! - 13.5)).toBeLessThan(0.1);
    const loudness = await measureLoudness(result.previewPath);
    expect(Math.abs(loudness.integratedLufs - PREVIEW.targetLufs)).toBeLessThanOrEqual(1);
    expect(loudness.truePeakDbtp).toBeLessThanOrEqual(-1);
  });

  test('a 320 kbps MP3 master is delivered byte for byte', async () => {
    const result = await ingestMedia(await master('suitable.mp3', 'mp3', {}, 320));
    expect(result.plan.deliveryIsMaster).toBe(true);
    expect((await readFile(result.deliveryPath)).equals(await readFile(path.join(dir, 'suitable.mp3')))).toBe(true);
  });

  test('a FLAC master is encoded to a 320 kbps MP3 of the same length', async () => {
    const result = await ingestMedia(await master('lossless.flac', 'flac'));
    const { format } = await parseFile(result.deliveryPath);
    expect(format).toMatchObject({ codec: 'MPEG 1 Layer 3', bitrate: 320_000, sampleRate: 44100, numberOfChannels: 2 });
    expect(Math.abs(format.duration! - 13.5)).toBeLessThan(0.05);
  });

  test('a 128 kbps MP3 master is re-encoded to the 192 kbps delivery floor', async () => {
    const result = await ingestMedia(await master('low.mp3', 'mp3', {}, 128));
    expect(result.plan).toMatchObject({ deliveryIsMaster: false, deliveryKbps: 192 });
    expect((await parseFile(result.deliveryPath)).format.bitrate).toBe(192_000);
  });

  test('no .part files are left after writing renditions', async () => {
    const result = await ingestMedia(await master('parts.wav', 'wav'));
    await expect(stat(`${result.previewPath}.part`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(`${result.deliveryPath}.part`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('refusing bad masters', () => {
  test('a 0-byte file is EMPTY_FILE', async () => {
    const file = path.join(dir, 'empty.mp3');
    await writeFile(file, '');
    await expectRejected(file, 'EMPTY_FILE', /empty \(0 bytes\)/);
  });

  test('a text file renamed .mp3 is NOT_AUDIO', async () => {
    const file = path.join(dir, 'notes.mp3');
    await writeFile(file, 'Setlist for Saturday:\n1. Morning Glass\n2. Counter Service\n'.repeat(50));
    await expectRejected(file, 'NOT_AUDIO', /not audio/);
  });

  test('an MP3 with a stretch of random bytes in its frames is CORRUPT', async () => {
    const good = await readFile(await master('to-corrupt.mp3', 'mp3'));
    let seed = 7;
    for (let i = 60_000; i < 160_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      good[i] = seed & 0xff;
    }
    const file = path.join(dir, 'corrupt.mp3');
    await writeFile(file, good);
    await expectRejected(file, 'CORRUPT', /damaged/);
  });

  test('an MP3 cut off after 40% is TRUNCATED (its Xing header gives the real length)', async () => {
    const whole = await readFile(await master('to-cut.mp3', 'mp3'));
    const file = path.join(dir, 'cut.mp3');
    await writeFile(file, whole.subarray(0, Math.floor(whole.length * 0.4)));
    await expectRejected(file, 'TRUNCATED', /truncated/);
  });

  test('a WAV cut off at a sample boundary is TRUNCATED (its RIFF header declares more bytes)', async () => {
    const whole = await readFile(await master('to-cut.wav', 'wav'));
    const file = path.join(dir, 'cut.wav');
    await writeFile(file, whole.subarray(0, 400_000));
    await expectRejected(file, 'TRUNCATED', /truncated/);
  });

  test('a 96 kbps MP3 is BITRATE_TOO_LOW', async () => {
    await expectRejected(await master('thin.mp3', 'mp3', {}, 96), 'BITRATE_TOO_LOW', /96 kbps/);
  });
});
