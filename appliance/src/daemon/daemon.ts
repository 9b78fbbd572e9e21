import { randomInt } from 'node:crypto';
import type { ApplianceState, CheckinRequest } from '@roomtone/provisioning';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AudioOutput, Player, PulseAudioOutput, decodeMp3, resolvePulseSocket } from '../audio';
import { PlanFollower, RecentPlays } from '../playback';
import { type MonotonicClock, TrustedTime, type WallClock, systemMonotonicClock, systemWallClock } from '../time';
import { type DaemonConfig } from './config';
import type { HubLinkPort, PlayLogPort, TrackCachePort } from './ports';
import { SdNotifier } from './sd-notify';
import { type StatusDoc, writeStatus } from './status-file';

/** The parts the daemon composes; `buildParts` (wiring.ts) makes the real ones, tests may pass their own. */
export interface DaemonParts {
  hub: HubLinkPort;
  cache: TrackCachePort;
  log: PlayLogPort;
  /** Starts background work (check-ins, downloads, uploads). */
  start?: () => Promise<void> | void;
  /** Stops it and makes everything durable (play log flushed and closed). */
  stop?: () => Promise<void> | void;
  /** Gives sync playback's state for its check-ins. */
  bindPlayback?: (provider: () => PlaybackReport) => void;
  /** Extra detail for status.json (sync: last check-in, downloads, errors). */
  details?: () => unknown;
  /** Signed hub time of the last successful check-in as stored on disk (the offline lease after a restart). */
  lastContactMs?: () => number | null;
}

/** What playback tells the hub at check-in (CheckinRequest's state, nowPlaying and errors). */
export interface PlaybackReport {
  state: ApplianceState;
  nowPlaying: CheckinRequest['nowPlaying'];
  errors: { at: string; message: string }[];
}

export interface DaemonOptions {
  config: DaemonConfig;
  parts: DaemonParts;
  /** Audio output; default PulseAudio at the configured socket and sink. */
  output?: AudioOutput & { open?: () => Promise<void> };
  wall?: WallClock;
  monotonic?: MonotonicClock;
  notifier?: SdNotifier;
  env?: NodeJS.ProcessEnv;
  /** Follower tick (default 250 ms: bounds how late a hard start is). */
  tickMs?: number;
  /** status.json interval (default 2000 ms). */
  statusMs?: number;
}

/** After this long without a completed tick the loop counts as hung and the watchdog is no longer fed. */
const HUNG_AFTER_MS = 15_000;
const AUDIO_RETRY_MS = 2_000;

/**
 * The appliance daemon: one composition root that builds every component and passes dependencies by constructor.
 * The constructor does no work; `start()` and `stop()` are symmetric. Ticks the plan follower, writes
 * `<data dir>/status.json` every 2 s, tells systemd READY=1 once running and WATCHDOG=1 while the loop turns.
 */
export class Daemon {
  private readonly time: TrustedTime;
  private readonly follower: PlanFollower;
  private readonly history: RecentPlays;
  private readonly output: AudioOutput & { open?: () => Promise<void> };
  private readonly socketPath: string;
  private readonly notifier: SdNotifier;
  private readonly wall: WallClock;
  private readonly monotonic: MonotonicClock;
  private readonly timers: NodeJS.Timeout[] = [];
  private audioOpen = false;
  private audioError: string | null = null;
  private readonly errors: { at: string; message: string }[] = [];
  private lastTickDoneMono = 0;
  private startedAtMs = 0;
  private running = false;
  private stopping: Promise<void> | undefined;
  private statusWrite: Promise<void> | undefined;

  constructor(private readonly options: DaemonOptions) {
    const env = options.env ?? process.env;
    this.wall = options.wall ?? systemWallClock;
    this.monotonic = options.monotonic ?? systemMonotonicClock;
    this.notifier = options.notifier ?? new SdNotifier(env);
    this.socketPath = resolvePulseSocket(options.config.server, env);
    this.output =
      options.output ??
      new PulseAudioOutput({
        socketPath: this.socketPath,
        ...(options.config.sink ? { sink: options.config.sink } : {}),
      });
    const { hub } = options.parts;
    this.time = new TrustedTime({
      wall: this.wall,
      monotonic: this.monotonic,
      hubTime: () => hub.lastHubTime(),
      plausible: () => {
        const plan = hub.plan();
        return plan ? { compiledAtMs: Date.parse(plan.compiledAt), untilMs: Date.parse(plan.until) } : null;
      },
    });
    const trustedClock = {
      now: (): Date => {
        const t = this.time.now();
        return new Date(t.trusted ? t.nowMs : t.wallMs);
      },
    };
    this.history = new RecentPlays(join(options.config.dataDir, 'recent-plays.json'));
    this.follower = new PlanFollower({
      time: () => this.time.now(),
      hub,
      cache: options.parts.cache,
      log: options.parts.log,
      history: this.history,
      createPlayer: (volume) => new Player({ output: this.output, volume, clock: trustedClock }),
      decode: decodeMp3,
      seed: randomInt(0, 2 ** 31),
      ...(options.parts.lastContactMs ? { lastContactMs: options.parts.lastContactMs } : {}),
    });
  }

  /** Starts everything; resolves once the loop runs (audio may still be connecting: status says so). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.startedAtMs = this.wall.nowMs();
    this.lastTickDoneMono = this.monotonic.nowMs();
    mkdirSync(this.options.config.dataDir, { recursive: true });
    this.options.parts.bindPlayback?.(() => {
      const doc = this.status();
      const np = doc.nowPlaying;
      return {
        state: doc.state,
        nowPlaying: np
          ? { trackId: np.trackId, programmeId: np.programmeId, startedAt: np.startedAt, quality: np.quality }
          : null,
        errors: doc.errors,
      };
    });
    await this.options.parts.start?.();
    void this.connectAudio();
    const every = (ms: number, fn: () => void): void => {
      const timer = setInterval(fn, ms);
      this.timers.push(timer);
    };
    every(this.options.tickMs ?? 250, () => void this.tick());
    every(this.options.statusMs ?? 2000, () => void this.writeStatusSafely());
    const watchdog = this.notifier.watchdogIntervalMs();
    if (watchdog !== undefined) every(watchdog, () => void this.feedWatchdog());
    await this.writeStatusSafely();
    await this.notifier.notifyReady(this.summary());
  }

  /** Graceful stop (SIGTERM): fade out, close the play as stopped, flush the play log, final status. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /** The status document as written to status.json. */
  status(): StatusDoc {
    const p = this.follower.status();
    const { hub, cache, log } = this.options.parts;
    const lastHub = hub.lastHubTime();
    const audioDown = this.running && !this.audioOpen;
    return {
      version: 1,
      writtenAt: new Date(this.wall.nowMs()).toISOString(),
      pid: process.pid,
      running: this.running && !this.stopping,
      startedAt: new Date(this.startedAtMs).toISOString(),
      state: audioDown ? 'audio-error' : p.state,
      reason: audioDown ? (this.audioError ?? 'connecting to PulseAudio') : p.reason,
      since: p.since,
      plan: { id: p.planId, until: p.planUntil },
      offlineSafeUntil: p.offlineSafeUntil,
      clock: p.clock,
      cache: safely(() => cache.stats()),
      nowPlaying: p.nowPlaying,
      errors: [...this.errors, ...p.errors, ...this.partErrors()].sort((a, b) => b.at.localeCompare(a.at)).slice(0, 20),
      playLog: safely(() => log.stats()),
      audio: { socket: this.socketPath, sink: this.options.config.sink ?? null, connected: this.audioOpen },
      hub: {
        online: hub.online(),
        lastHubTime: lastHubIso(lastHub?.hubTimeMs ?? safely(() => this.options.parts.lastContactMs?.() ?? null)),
      },
      ...(this.options.parts.details ? { sync: safely(() => this.options.parts.details?.()) } : {}),
    };
  }

  /** Sync's recent errors (check-ins, downloads, cache), when its report carries them. */
  private partErrors(): { at: string; message: string }[] {
    const details = safely(() => this.options.parts.details?.()) as { errors?: unknown } | null | undefined;
    const errors = details?.errors;
    if (!Array.isArray(errors)) return [];
    return errors.filter(
      (e): e is { at: string; message: string } =>
        typeof (e as { at?: unknown }).at === 'string' && typeof (e as { message?: unknown }).message === 'string',
    );
  }

  private async shutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.notifier.notifyStopping();
    try {
      await this.follower.stop(1000);
    } catch (error) {
      this.recordError(`stopping playback: ${describe(error)}`);
    }
    if (this.audioOpen) await this.output.close().catch(() => undefined);
    try {
      await this.options.parts.stop?.();
    } catch (error) {
      this.recordError(`stopping sync/cache/play log: ${describe(error)}`);
    }
    this.running = false;
    await this.history.flushed();
    await this.statusWrite;
    await this.writeStatusSafely();
  }

  private async connectAudio(): Promise<void> {
    while (this.running && !this.stopping && !this.audioOpen) {
      try {
        await this.output.open?.();
        this.audioOpen = true;
        this.audioError = null;
      } catch (error) {
        const message = `audio output unreachable (${this.socketPath}${this.options.config.sink ? `, sink ${this.options.config.sink}` : ''}): ${describe(error)}`;
        if (message !== this.audioError) this.recordError(message);
        this.audioError = message;
        await new Promise<void>((resolve) => setTimeout(resolve, AUDIO_RETRY_MS));
      }
    }
  }

  private async tick(): Promise<void> {
    if (!this.audioOpen || this.stopping) {
      this.lastTickDoneMono = this.monotonic.nowMs();
      return;
    }
    try {
      await this.follower.tick();
    } catch (error) {
      this.recordError(`playback: ${describe(error)}`);
    }
    this.lastTickDoneMono = this.monotonic.nowMs();
  }

  private async feedWatchdog(): Promise<void> {
    // A loop that stopped turning must not be kept alive: systemd restarts the service when the pings stop.
    if (this.monotonic.nowMs() - this.lastTickDoneMono > HUNG_AFTER_MS) return;
    await this.notifier.notifyWatchdog(this.summary());
  }

  private summary(): string {
    const p = this.follower.status();
    return p.nowPlaying ? `playing ${p.nowPlaying.trackId}` : `${p.state}${p.reason ? `: ${p.reason}` : ''}`;
  }

  /** Writes status.json in the background; a write still in flight makes this one a no-op (the next one catches up). */
  private writeStatusSafely(): Promise<void> {
    if (this.statusWrite) return this.statusWrite;
    const write = writeStatus(this.options.config.dataDir, this.status())
      .catch((error: unknown) => this.recordError(`writing status.json: ${describe(error)}`))
      .finally(() => {
        this.statusWrite = undefined;
      });
    this.statusWrite = write;
    return write;
  }

  private recordError(message: string): void {
    this.errors.unshift({ at: new Date(this.wall.nowMs()).toISOString(), message });
    this.errors.length = Math.min(this.errors.length, 20);
  }
}

function lastHubIso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString();
}

function safely<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
