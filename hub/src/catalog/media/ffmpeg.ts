import { spawn, spawnSync } from 'node:child_process';

/** Where the ffmpeg binary came from: the system's PATH or the static build inside @ffmpeg-installer. */
export interface FfmpegBinary {
  path: string;
  source: 'system' | 'npm';
}

let cached: FfmpegBinary | undefined;

/**
 * Finds ffmpeg: the system's when `ffmpeg -version` runs (Debian's is 2-3x faster at MP3 encoding and current), else
 * the static build shipped in @ffmpeg-installer/ffmpeg so that `npm install` alone gives a working hub. `ROOMTONE_FFMPEG`
 * overrides both (benchmarks and tests of the fallback use it).
 */
export function findFfmpeg(): FfmpegBinary {
  if (cached) return cached;
  const override = process.env.ROOMTONE_FFMPEG;
  if (override) return (cached = { path: override, source: override === 'ffmpeg' ? 'system' : 'npm' });
  const probe = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (!probe.error && probe.status === 0) return (cached = { path: 'ffmpeg', source: 'system' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const installer = require('@ffmpeg-installer/ffmpeg') as { path: string };
  return (cached = { path: installer.path, source: 'npm' });
}

/** What an ffmpeg run left on stderr (its log) and stdout (e.g. `-progress pipe:1`). */
export interface FfmpegOutput {
  stderr: string;
  stdout: string;
}

/** ffmpeg exited non-zero; `stderr` holds its log (the last lines name the reason). */
export class FfmpegFailedError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    super(`ffmpeg exited with ${exitCode ?? 'a signal'}: ${tail}`);
    this.name = 'FfmpegFailedError';
  }
}

/** Options for one ffmpeg run. */
export interface RunOptions {
  /** Aborts a long transcode (hub shutdown): the child is killed and the promise rejects. */
  signal?: AbortSignal;
  /** Called with the seconds of audio processed so far; needs `-progress pipe:1` in the arguments. */
  onProgress?: (seconds: number) => void;
}

/** Runs ffmpeg with `args` (no shell) and resolves with its output once it exits 0. */
export function runFfmpeg(args: string[], options: RunOptions = {}): Promise<FfmpegOutput> {
  const { path } = findFfmpeg();
  const { signal, onProgress } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(path, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (!onProgress) return;
      const matches = [...chunk.toString('utf8').matchAll(/^out_time_us=(\d+)$/gm)];
      if (matches.length > 0) onProgress(Number(matches[matches.length - 1][1]) / 1e6);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const output = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (code === 0) resolve(output);
      else reject(new FfmpegFailedError(code, output.stderr));
    });
  });
}
