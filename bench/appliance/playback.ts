// Playback benchmark (issue 6): CPU % and peak RSS of our player process beside `mpg123 -o pulse` playing the same
// 320 kbps file to the same PulseAudio sink, in the same run, and cold start to first audio (process start -> first
// non-silent sample captured at the sink). Targets: RSS <= 100 MB; CPU <= 3x mpg123's; first audio <= 3 s.
// usage: node bench/run.js bench/appliance/playback.ts [--seconds 20] [--rounds 1]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SIGNALS, makeMp3, requireAudioTools } from '../../test/support/audio-fixtures';
import { PulseHarness, requirePulseTools } from '../../test/support/pulse';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const root = join(__dirname, '../..');
const builtAudio = join(root, 'appliance/dist/audio/index.js');

/**
 * The player child runs the BUILT engine (appliance/dist), as the appliance does: bench/run.js would load the swc
 * compiler into the child (~30 MB of RSS and start-up time that production never pays). Its entry (play-file.ts) is
 * compiled here once, with its import pointed at the build.
 */
function compilePlayer(dir: string): string {
  if (!existsSync(builtAudio)) throw new Error(`${builtAudio} is missing: run 'npm run build' first`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as { transformSync(code: string, options: object): { code: string } };
  const source = readFileSync(join(__dirname, 'play-file.ts'), 'utf8').replace(
    "'../../appliance/src/audio'",
    JSON.stringify(builtAudio),
  );
  const { code } = swc.transformSync(source, {
    filename: 'play-file.ts',
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const out = join(dir, 'play-file.js');
  writeFileSync(out, code);
  return out;
}

interface Measurement {
  name: string;
  firstAudioMs: number;
  cpuPercent: number;
  peakRssMb: number;
  wallSeconds: number;
}

function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15 of stat)
  } catch {
    return undefined;
  }
}

function peakRssKb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Plays with `command`, measuring CPU over a steady window (2 s after first audio, `window` s long) and peak RSS. */
async function measure(
  pulse: PulseHarness,
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  windowSeconds: number,
): Promise<Measurement> {
  const mark = pulse.mark();
  const startedAt = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const pid = child.pid as number;
  let peakKb = 0;
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, peakRssKb(pid) ?? 0)), 200);

  await pulse.waitForCapture(() => pulse.firstAudibleAt(mark) !== undefined, 15_000);
  const firstAudioMs = (pulse.firstAudibleAt(mark) as number) - startedAt;
  await pulse.captureFor(2000);
  const t0 = performance.now();
  const c0 = cpuTicks(pid);
  await pulse.captureFor(windowSeconds * 1000);
  const t1 = performance.now();
  const c1 = cpuTicks(pid);
  peakKb = Math.max(peakKb, peakRssKb(pid) ?? 0);
  await exited;
  clearInterval(sampler);
  if (c0 === undefined || c1 === undefined) throw new Error(`${name} exited before the window ended: ${stderr}`);
  return {
    name,
    firstAudioMs,
    cpuPercent: ((c1 - c0) / TICKS_PER_SECOND / ((t1 - t0) / 1000)) * 100,
    peakRssMb: peakKb / 1024,
    wallSeconds: (performance.now() - startedAt) / 1000,
  };
}

/** Wall time of a bare `node -e 0`: how much of our cold start is the runtime itself on this machine, right now. */
async function nodeBootMs(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return performance.now() - t0;
}

function row(m: Measurement): string {
  return `| ${m.name} | ${m.cpuPercent.toFixed(2)} | ${m.peakRssMb.toFixed(1)} | ${m.firstAudioMs.toFixed(0)} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, rounds: { type: 'string' } } });
  const trackSeconds = Number(values.seconds ?? '20');
  const rounds = Number(values.rounds ?? '1');
  const windowSeconds = trackSeconds - 5;
  requirePulseTools();
  requireAudioTools();
  const dir = mkdtempSync(join(tmpdir(), 'roomtone-bench-'));
  const pulse = new PulseHarness();
  await pulse.start();
  try {
    const player = compilePlayer(dir);
    const file = makeMp3(dir, 'track-320k', SIGNALS.pinkNoise(trackSeconds, 3), { bitrateKbps: 320 });
    const ours: Measurement[] = [];
    const theirs: Measurement[] = [];
    const boots: number[] = [];
    for (let round = 0; round < rounds; round++) {
      boots.push(await nodeBootMs());
      ours.push(
        await measure(
          pulse,
          'roomtone player (node, mpg123-decoder WASM + pulseaudio.js)',
          process.execPath,
          [player, file, pulse.socketPath, pulse.captureSink],
          process.env,
          windowSeconds,
        ),
      );
      theirs.push(
        await measure(
          pulse,
          'mpg123 -o pulse (native reference)',
          'mpg123',
          ['-q', '-o', 'pulse', '-a', pulse.captureSink, file],
          pulse.clientEnv(),
          windowSeconds,
        ),
      );
    }
    const mean = (ms: Measurement[], key: keyof Omit<Measurement, 'name'>) =>
      ms.reduce((s, m) => s + m[key], 0) / ms.length;
    const ratio = mean(ours, 'cpuPercent') / mean(theirs, 'cpuPercent');
    const lines = [
      `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown cpu'}, node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the end`,
      `track: ${trackSeconds} s pink noise, 320 kbps 44.1 kHz stereo MP3; CPU measured over ${windowSeconds} s of steady playback; ${rounds} round(s), interleaved`,
      '',
      '| process | CPU % of one core | peak RSS (MB) | process start -> first audio at the sink (ms) |',
      '| --- | --- | --- | --- |',
      ...ours.map(row),
      ...theirs.map(row),
      '',
      `CPU ratio ours / mpg123: ${ratio.toFixed(2)}x (target <= 3x) -> ${ratio <= 3 ? 'met' : 'NOT met'}`,
      `peak RSS ours: ${Math.max(...ours.map((m) => m.peakRssMb)).toFixed(1)} MB (target <= 100 MB) -> ${
        Math.max(...ours.map((m) => m.peakRssMb)) <= 100 ? 'met' : 'NOT met'
      }`,
      `first audio ours: ${Math.max(...ours.map((m) => m.firstAudioMs)).toFixed(0)} ms worst (target <= 3000 ms) -> ${
        Math.max(...ours.map((m) => m.firstAudioMs)) <= 3000 ? 'met' : 'NOT met'
      }; mpg123 ${mean(theirs, 'firstAudioMs').toFixed(0)} ms`,
      `reference: a bare 'node -e 0' took ${boots.map((b) => b.toFixed(0)).join(', ')} ms in the same run, so the runtime itself is ${(
        (boots.reduce((a, b) => a + b, 0) / boots.length / mean(ours, 'firstAudioMs')) *
        100
      ).toFixed(0)}% of our mean first-audio time (${mean(ours, 'firstAudioMs').toFixed(0)} ms)`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await pulse.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
