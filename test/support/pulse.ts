import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants, mkdtempSync, openSync, rmSync, chmodSync, existsSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { requireTool } from './require-tool';

/** Sample rate, channel count and frame size of the capture sink (what the appliance writes). */
export const CAPTURE_RATE = 44_100;
export const CAPTURE_CHANNELS = 2;
const FRAME_BYTES = 4;

/** One read from the capture FIFO: the bytes and when they arrived (performance.now() ms). */
export interface CaptureChunk {
  generation: number;
  arrivedAtMs: number;
  data: Buffer;
}

export interface PulseHarnessOptions {
  /** Name of the venue's null sink (the appliance's default output). */
  venueSink?: string;
  /** Name of the pipe sink whose every sample is captured. */
  captureSink?: string;
  /** How long start() may take before it fails. */
  readyTimeoutMs?: number;
}

/** Fails the suite when PulseAudio or its client tools are missing (CI must never skip). */
export function requirePulseTools(): void {
  requireTool('pulseaudio', 'pulseaudio', ['--version']);
  requireTool('pactl', 'pulseaudio-utils', ['--version']);
  requireTool('python3', 'python3', ['--version']);
}

/**
 * Raises this process to the scheduling priority an audio player gets in production (the appliance's systemd unit
 * runs it with Nice=-10): the e2e suites play from inside the Jest worker, and on a CI machine shared with builds a
 * normal-priority player stalls past its 500 ms buffer and underruns (seen at load average 20 on 2 cores).
 * Child processes (the built CLI) inherit it. Without the privilege to do so, the process keeps its priority.
 */
export function raiseToAudioPriority(): void {
  try {
    setPriority(0, -10);
  } catch {
    // Not permitted (an unprivileged CI runner): the suite still runs, just without the margin.
  }
}

/** Capacity asked for the capture FIFO: ~5.9 s of 44.1 kHz stereo s16. */
const PIPE_BYTES = 1 << 20;

/**
 * Grows the capture FIFO from the default 64 KB (0.37 s of audio) to 1 MB. The pipe sink paces itself by the system
 * clock and DROPS what does not fit in the pipe, so a test process that is not scheduled for 0.4 s on a busy machine
 * would otherwise lose captured samples and see gaps that were never played. Node has no fcntl(F_SETPIPE_SZ); the
 * pipe object outlives the helper because our read end stays open.
 */
function growPipe(fifo: string): void {
  const script = [
    'import fcntl, os, sys',
    'fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)',
    `fcntl.fcntl(fd, 1031, ${PIPE_BYTES})`, // F_SETPIPE_SZ
    'print(fcntl.fcntl(fd, 1032))', // F_GETPIPE_SZ
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, fifo], { encoding: 'utf8' });
  if (result.status !== 0 || Number(result.stdout.trim()) < PIPE_BYTES) {
    throw new Error(`could not grow the capture FIFO to ${PIPE_BYTES} bytes: ${result.stderr || result.stdout}`);
  }
}

/**
 * A private headless PulseAudio daemon for tests and benchmarks (FIELD-NOTES "Headless PulseAudio"): its own 0700
 * HOME/XDG_RUNTIME_DIR, an anonymous native socket, a null sink named like the venue's output and a pipe sink whose
 * FIFO is read continuously, so every sample played to it is kept with its arrival time. A "generation" counts daemon
 * starts, so a restart test can tell captures of the old daemon from the new one.
 */
export class PulseHarness {
  readonly dir: string;
  readonly socketPath: string;
  readonly venueSink: string;
  readonly captureSink: string;
  readonly chunks: CaptureChunk[] = [];
  private daemon: ChildProcess | undefined;
  private reader: Socket | undefined;
  private generation = 0;
  private stderr = '';
  private readonly readyTimeoutMs: number;

  constructor(options: PulseHarnessOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'roomtone-pulse-'));
    chmodSync(this.dir, 0o700);
    this.socketPath = join(this.dir, 'native');
    this.venueSink = options.venueSink ?? 'venue';
    this.captureSink = options.captureSink ?? 'capture';
    this.readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  }

  /** The environment a PulseAudio client process (pactl, mpg123 -o pulse, the appliance) needs to reach this daemon. */
  clientEnv(): NodeJS.ProcessEnv {
    return { ...process.env, HOME: this.dir, XDG_RUNTIME_DIR: this.dir, PULSE_SERVER: `unix:${this.socketPath}` };
  }

  /** Starts the daemon and resolves once it answers `pactl info` and the capture FIFO is being read. */
  async start(): Promise<void> {
    if (this.daemon) throw new Error('PulseHarness: already running');
    this.generation += 1;
    const fifo = join(this.dir, `capture-${this.generation}.fifo`);
    const made = spawnSync('mkfifo', ['-m', '0600', fifo]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr.toString()}`);
    // A daemon killed with SIGKILL leaves its socket behind; the new one must not find it.
    if (existsSync(this.socketPath)) unlinkSync(this.socketPath);

    // Opening the read end first (non-blocking) lets the pipe sink's writer open succeed at once.
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    growPipe(fifo);
    const generation = this.generation;
    const reader = new Socket({ fd, readable: true, writable: false });
    reader.on('data', (data: Buffer) => this.chunks.push({ generation, arrivedAtMs: performance.now(), data }));
    reader.on('error', () => undefined);
    this.reader = reader;

    this.stderr = '';
    const daemon = spawn(
      'pulseaudio',
      [
        '-n',
        '--daemonize=no',
        '--exit-idle-time=-1',
        '--use-pid-file=no',
        '--log-target=stderr',
        '--disallow-exit',
        // A sound server on a busy machine must be scheduled ahead of batch work (as root this is nice -11).
        '--high-priority=yes',
        '-L',
        `module-native-protocol-unix socket=${this.socketPath} auth-anonymous=1`,
        '-L',
        `module-null-sink sink_name=${this.venueSink}`,
        '-L',
        `module-pipe-sink file=${fifo} sink_name=${this.captureSink} format=s16le rate=${CAPTURE_RATE} channels=${CAPTURE_CHANNELS} use_system_clock_for_timing=yes`,
      ],
      { env: this.clientEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    daemon.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.daemon = daemon;
    await this.waitUntilReady(daemon);
  }

  /** Stops the daemon: SIGTERM for a clean stop, SIGKILL to simulate a crash. Resolves when the process has exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const daemon = this.daemon;
    this.daemon = undefined;
    if (daemon && daemon.exitCode === null && daemon.signalCode === null) {
      const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
      daemon.kill(signal);
      await exited;
    }
    // The daemon was the FIFO's only writer: read what it left in the pipe until end-of-file, then let go.
    const reader = this.reader;
    this.reader = undefined;
    if (reader && !reader.destroyed) {
      await Promise.race([
        new Promise<void>((resolve) => reader.once('end', () => resolve()).once('close', () => resolve())),
        new Promise<void>((resolve) => setTimeout(resolve, 2000)),
      ]);
      reader.destroy();
    }
  }

  /** Kills (SIGKILL) or stops the daemon and starts a fresh one on the same socket; resolves when it is ready. */
  async restart(signal: 'SIGTERM' | 'SIGKILL' = 'SIGKILL'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  /** Stops the daemon and removes its private directory. */
  async dispose(): Promise<void> {
    await this.stop('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs pactl against this daemon and returns its stdout (throws with pactl's stderr on failure). */
  pactl(...args: string[]): string {
    const result = spawnSync('pactl', args, { env: this.clientEnv(), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pactl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  }

  /** Index (in the capture's chunk list) where the next captured chunk will go: mark it before an action. */
  mark(): number {
    return this.chunks.length;
  }

  /** Every captured sample from chunk index `from` (optionally of one daemon generation) as interleaved s16 stereo. */
  captured(from = 0, generation?: number): Int16Array {
    const parts = this.chunks.slice(from).filter((c) => generation === undefined || c.generation === generation);
    const bytes = Buffer.concat(parts.map((c) => c.data));
    const usable = bytes.length - (bytes.length % FRAME_BYTES);
    const copy = new Int16Array(usable / 2);
    for (let i = 0; i < copy.length; i++) copy[i] = bytes.readInt16LE(i * 2);
    return copy;
  }

  /** Current daemon generation (1 after the first start, 2 after one restart...). */
  get currentGeneration(): number {
    return this.generation;
  }

  /**
   * Arrival time (performance.now() ms) of the first captured frame from chunk `from` on whose absolute sample value
   * reaches `threshold`, or undefined. Used to measure "time to first audio" from the capture itself.
   */
  firstAudibleAt(from = 0, threshold = 64, generation?: number): number | undefined {
    for (const chunk of this.chunks.slice(from)) {
      if (generation !== undefined && chunk.generation !== generation) continue;
      for (let i = 0; i + 1 < chunk.data.length; i += 2) {
        if (Math.abs(chunk.data.readInt16LE(i)) >= threshold) return chunk.arrivedAtMs;
      }
    }
    return undefined;
  }

  /** Resolves when `predicate` holds for the capture, polling on each new captured chunk; rejects after timeoutMs. */
  async waitForCapture(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const reader = this.reader;
    if (!reader) throw new Error('PulseHarness: not running');
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reader.off('data', onData);
        reject(new Error(`capture condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const onData = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        reader.off('data', onData);
        resolve();
      };
      reader.on('data', onData);
    });
  }

  /** Resolves once `ms` more of audio (silent or not) has been captured: the sink's own clock, not a sleep. */
  async captureFor(ms: number): Promise<void> {
    const from = this.mark();
    const need = Math.round((ms / 1000) * CAPTURE_RATE) * FRAME_BYTES;
    const bytes = (): number => this.chunks.slice(from).reduce((n, c) => n + c.data.length, 0);
    await this.waitForCapture(() => bytes() >= need, ms + 5000);
  }

  private async waitUntilReady(daemon: ChildProcess): Promise<void> {
    const deadline = performance.now() + this.readyTimeoutMs;
    // Poll the socket with pactl: PulseAudio has no readiness notification without systemd.
    for (;;) {
      if (daemon.exitCode !== null || daemon.signalCode !== null) {
        throw new Error(`pulseaudio exited during start-up: ${this.stderr}`);
      }
      if (existsSync(this.socketPath)) {
        const info = spawnSync('pactl', ['list', 'short', 'sinks'], { env: this.clientEnv(), encoding: 'utf8' });
        if (info.status === 0 && info.stdout.includes(this.captureSink)) return;
      }
      if (performance.now() > deadline) {
        throw new Error(`pulseaudio not ready within ${this.readyTimeoutMs} ms: ${this.stderr}`);
      }
      await new Promise<void>((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** What a suite playing through its own PulseAudio gets from `pulseSuite`. */
export interface PulseSuite {
  /** The private daemon: constructed now, started by the suite's beforeAll, disposed by its afterAll. */
  pulse: PulseHarness;
  /** A scratch directory `<tmpdir>/<prefix>XXXXXX` for the suite's files, removed by its afterAll. */
  dir: string;
}

/**
 * The setup every suite that plays through PulseAudio repeats, written once: call it in a `describe` body. Its
 * beforeAll fails the suite when a tool is missing (PulseAudio's, plus what `requireTools` checks, e.g.
 * requireAudioTools), raises the process to audio priority and starts the daemon; its afterAll disposes the daemon and
 * removes the scratch directory. Register an afterAll that must run while the daemon is still up (stopping a player
 * process) before calling this: Jest runs a describe's afterAll hooks in the order they were declared.
 */
export function pulseSuite(prefix: string, requireTools: () => void = () => undefined): PulseSuite {
  const suite: PulseSuite = { pulse: new PulseHarness(), dir: mkdtempSync(join(tmpdir(), prefix)) };
  beforeAll(async () => {
    requirePulseTools();
    requireTools();
    raiseToAudioPriority();
    await suite.pulse.start();
  });
  afterAll(async () => {
    await suite.pulse.dispose();
    rmSync(suite.dir, { recursive: true, force: true });
  });
  return suite;
}
