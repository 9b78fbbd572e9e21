import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from './require-tool';

/** Fails the suite when ffmpeg (fixture encoder) or mpg123 (reference decoder) is missing. */
export function requireAudioTools(): void {
  requireTool('ffmpeg', 'ffmpeg', ['-version']);
  requireTool('mpg123', 'mpg123', ['--version']);
}

/** Test signals that cross-correlate sharply (chirps, seeded noise) or measure simply (a steady sine). */
export const SIGNALS = {
  chirpUp: (seconds: number) => `aevalsrc=0.4*sin(2*PI*(200*t+450*t*t/${seconds / 2})):s=44100:d=${seconds}`,
  chirpDown: (seconds: number) => `aevalsrc=0.4*sin(2*PI*(3000*t-675*t*t/${seconds / 2})):s=44100:d=${seconds}`,
  pinkNoise: (seconds: number, seed = 7) => `anoisesrc=color=pink:seed=${seed}:amplitude=0.3:r=44100:d=${seconds}`,
  sine: (seconds: number, hz = 1000, amplitude = 0.5) => `aevalsrc=${amplitude}*sin(2*PI*${hz}*t):s=44100:d=${seconds}`,
} as const;

/**
 * Encodes a lavfi source to an MP3 (stereo, LAME with its gapless header) in `dir` and returns its path. Sample rate,
 * channels and bitrate are parameters so previews (22.05 kHz mono) can be made too.
 */
export function makeMp3(
  dir: string,
  name: string,
  source: string,
  options: { bitrateKbps?: number; rate?: number; channels?: number } = {},
): string {
  const file = join(dir, `${name}.mp3`);
  const { bitrateKbps = 192, rate = 44100, channels = 2 } = options;
  const result = spawnSync(
    'ffmpeg',
    ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-ac', String(channels), '-ar', String(rate)].concat([
      '-c:a',
      'libmp3lame',
      '-b:a',
      `${bitrateKbps}k`,
      file,
    ]),
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`ffmpeg failed for ${name}: ${result.stderr}`);
  return file;
}

/** Reference decode with the native mpg123 (an independent decoder): interleaved s16 stereo at 44.1 kHz. */
export function referenceDecode(file: string): Int16Array {
  const result = spawnSync('mpg123', ['-q', '-s', '-r', '44100', '--stereo', file], { maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`mpg123 failed for ${file}: ${result.stderr.toString()}`);
  const bytes = result.stdout;
  const out = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

/** The file's bytes as an async stream of chunks, as decrypted chunks will arrive in the appliance. */
export async function* chunksOf(file: string, size = 16 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = readFileSync(file);
  for (let at = 0; at < bytes.length; at += size) {
    yield bytes.subarray(at, Math.min(bytes.length, at + size));
    await Promise.resolve();
  }
}
