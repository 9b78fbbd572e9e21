import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StatusDoc } from '../../../appliance/src/daemon';
import { APPLIANCE_CLI, callOk, runCli, type SessionHeaders, signIn } from '../../support/hub-http';
import { type HubProcess, startHubProcess, stopHubProcess } from '../../support/hub-process';
import { CAPTURE_RATE, type PulseHarness } from '../../support/pulse';
import { until } from '../../integration/appliance-playback/support';

/*
 * Shared by the appliance e2e suites: a built hub process (SQLite, demo seed, 5 s check-ins) on a fixed port so it can
 * be stopped and started again, the people who drive it over HTTP, and `roomtone-appliance run` as a real process on
 * the harness's private PulseAudio, writing to the capture sink.
 */

export const RATE = CAPTURE_RATE;

export interface DemoTrack {
  id: string;
  title: string;
  durationMs: number;
}

export interface HubContext {
  hub: HubProcess;
  dataDir: string;
  port: number;
  base: string;
  operator: SessionHeaders;
  manager: SessionHeaders;
  installer: SessionHeaders;
  venue: { id: string; organisationId: string; timeZone: string };
  zoneId: string;
  tracks: DemoTrack[];
}

/** Polls until a predicate holds (the appliance-playback suites' helper, one definition for both tiers). */
export { until };

/** A TCP port that was free a moment ago (the hub must come back on the same port after a stop). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function hubEnv(dataDir: string, port: number): Record<string, string> {
  return {
    ROOMTONE_DATA_DIR: dataDir,
    ROOMTONE_DEMO_SEED: 'true',
    ROOMTONE_CHECKIN_INTERVAL_SECONDS: '5',
    PORT: String(port),
  };
}

/** Starts the built hub with the demo seed, signs in, and licenses the demo venue (full tier, 7 days' lease). */
export async function bootHub(): Promise<HubContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roomtone-e2e-appliance-hub-'));
  const port = await freePort();
  const hub = await startHubProcess(hubEnv(dataDir, port));
  let password = '';
  await until(
    () => {
      const line = hub.stdout.find((l) => /^\s+password\s+\S+$/.test(l));
      if (line) password = line.trim().split(/\s+/)[1];
      return password !== '';
    },
    20_000,
    'the demo password in the hub log',
  );
  const base = hub.baseUrl;
  const operator = await signIn(base, 'operator@demo.roomtone.test', password);
  const manager = await signIn(base, 'manager@demo.roomtone.test', password);
  const installer = await signIn(base, 'installer@demo.roomtone.test', password);
  const [venue] = await callOk<HubContext['venue'][]>(base, 'GET', '/venues', manager, 200);
  const zones = await callOk<{ id: string }[]>(base, 'GET', `/venues/${venue.id}/zones`, manager, 200);
  const tracks = await callOk<{ items: DemoTrack[] }>(base, 'GET', '/tracks?limit=50', manager, 200);
  if (tracks.items.length < 3) throw new Error('the demo seed made fewer than 3 tracks');
  const now = Date.now();
  await callOk(base, 'POST', `/venues/${venue.id}/licences`, operator, 201, {
    tier: 'full',
    validFrom: new Date(now - 86_400_000).toISOString(),
    validUntil: new Date(now + 30 * 86_400_000).toISOString(),
    leaseDays: 7,
  });
  return {
    hub,
    dataDir,
    port,
    base,
    operator,
    manager,
    installer,
    venue,
    zoneId: zones[0].id,
    tracks: tracks.items,
  };
}

/** Stops the hub (SIGTERM) and waits for its exit. */
export async function stopHub(ctx: HubContext): Promise<void> {
  await stopHubProcess(ctx.hub);
}

/** Starts the hub again on the same data directory and port (sessions survive: they are stored). */
export async function startHubAgain(ctx: HubContext): Promise<void> {
  ctx.hub = await startHubProcess(hubEnv(ctx.dataDir, ctx.port));
}

/** The demo tracks with these titles, in this order. */
export function tracksTitled(ctx: HubContext, titles: string[]): DemoTrack[] {
  return titles.map((title) => {
    const track = ctx.tracks.find((t) => t.title === title);
    if (!track) throw new Error(`no demo track titled '${title}'`);
    return track;
  });
}

/** The delivery rendition the hub serves (what the appliance decrypts and plays). */
export function deliveryFile(ctx: HubContext, trackId: string): string {
  return join(ctx.dataDir, 'media/tracks', trackId, 'delivery.mp3');
}

/** Wall-clock time of `ms` in `zone` as an RFC 5545 local DATE-TIME (YYYYMMDDTHHMMSS). */
export function localDateTime(ms: number, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}T${parts.hour}${parts.minute}${parts.second}`;
}

/**
 * An ordered programme of `trackIds` and a published schedule with one hard-start block at `startMs` (whole second)
 * lasting `seconds`. Returns the programme id and the published plan id.
 */
export async function publishBlock(
  ctx: HubContext,
  trackIds: string[],
  startMs: number,
  seconds: number,
  volume: number,
  version: number,
): Promise<{ programmeId: string; planId: string }> {
  const programme = await callOk<{ id: string }>(
    ctx.base,
    'POST',
    `/organisations/${ctx.venue.organisationId}/programmes`,
    ctx.manager,
    201,
    { name: `e2e ${version} ${Date.now()}`, kind: 'ordered', trackIds },
  );
  await callOk(ctx.base, 'PUT', `/zones/${ctx.zoneId}/schedule/draft`, ctx.manager, 200, {
    version: 1,
    zone: ctx.venue.timeZone,
    blocks: [
      {
        id: 'e2e-block',
        rule: { rrule: `DTSTART:${localDateTime(startMs, ctx.venue.timeZone)}\nRRULE:FREQ=DAILY;COUNT=1` },
        duration: `PT${seconds}S`,
        programme: programme.id,
        volume,
      },
    ],
  });
  const published = await callOk<{ version: number; planId: string }>(
    ctx.base,
    'POST',
    `/zones/${ctx.zoneId}/schedule/publish`,
    ctx.manager,
    200,
  );
  return { programmeId: programme.id, planId: published.planId };
}

/** Enrols a device whose data dir is `dataDir` (keystore at `<dataDir>/keystore.json`) with the built CLI. */
export async function enrolAppliance(ctx: HubContext, dataDir: string, hubUrl = ctx.base): Promise<string> {
  const issued = await callOk<{ code: string }>(
    ctx.base,
    'POST',
    `/venues/${ctx.venue.id}/zones/${ctx.zoneId}/enrolment-codes`,
    ctx.installer,
    201,
    {},
  );
  const enrolled = await runCli(APPLIANCE_CLI, ['enroll', '--hub', hubUrl, '--code', issued.code], {
    ROOMTONE_KEYSTORE: join(dataDir, 'keystore.json'),
  });
  if (enrolled.code !== 0) throw new Error(`enroll failed (${enrolled.code}): ${enrolled.stderr}`);
  const keystore = JSON.parse(readFileSync(join(dataDir, 'keystore.json'), 'utf8')) as { applianceId: string };
  return keystore.applianceId;
}

export interface ApplianceProcess {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | string | null>;
}

/** `roomtone-appliance run` on the harness's PulseAudio, playing to the capture sink. */
export function startAppliance(dataDir: string, pulse: PulseHarness, env: NodeJS.ProcessEnv = {}): ApplianceProcess {
  const child = spawn(
    process.execPath,
    [APPLIANCE_CLI, 'run', '--data-dir', dataDir, '--server', pulse.socketPath, '--sink', pulse.captureSink],
    { env: { ...pulse.clientEnv(), ROOMTONE_KEYSTORE: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.stderr = (out.stderr + d.toString()).slice(-200_000)));
  const exited = new Promise<number | string | null>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal)),
  );
  return { child, out, exited };
}

/** SIGKILL (a crash) and wait for the exit. */
export async function killHard(app: ApplianceProcess): Promise<void> {
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
  await app.exited;
}

/** SIGTERM (a clean stop) and wait for the exit code. */
export async function stopAppliance(app: ApplianceProcess): Promise<number | string | null> {
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGTERM');
  return app.exited;
}

/** The appliance's status.json, or null while it has none (or is mid-write). */
export function readStatus(dataDir: string): StatusDoc | null {
  const file = join(dataDir, 'status.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StatusDoc;
  } catch {
    return null;
  }
}

/** The appliance's JSON-line events on stderr (sync's `checkin`, `track-cached`, `plays-uploaded`, ...). */
export function events(app: ApplianceProcess): Record<string, unknown>[] {
  return app.out.stderr.split('\n').flatMap((line): Record<string, unknown>[] => {
    try {
      const parsed = JSON.parse(line) as unknown;
      return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

export interface HubPlay {
  playId: string;
  applianceId: string;
  sequence: number;
  trackId: string;
  startedAt: string;
  secondsAudible: number;
  offline: boolean;
  ended: 'completed' | 'stopped' | 'interrupted';
  flags: string[];
  blockId: string | null;
}

/** Every play the hub stored for the venue (all pages), for one appliance, in sequence order. */
export async function hubPlays(ctx: HubContext, applianceId: string): Promise<HubPlay[]> {
  const out: HubPlay[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { plays: HubPlay[]; nextCursor: string | null } = await callOk(
      ctx.base,
      'GET',
      `/venues/${ctx.venue.id}/plays?${query}`,
      ctx.manager,
      200,
    );
    out.push(...page.plays);
    cursor = page.nextCursor;
  } while (cursor);
  return out.filter((p) => p.applianceId === applianceId).sort((a, b) => a.sequence - b.sequence);
}

/**
 * Wall-clock instant (ms) at which captured sample `index` (counted from chunk `from`) reached the capture reader:
 * the arrival time of its chunk minus the samples after it in that chunk. `perfToWall` converts performance.now().
 */
export function sampleWallMs(pulse: PulseHarness, from: number, index: number, perfToWall: number): number {
  let frames = 0;
  for (const chunk of pulse.chunks.slice(from)) {
    const n = chunk.data.length / 4;
    if (index < frames + n) return chunk.arrivedAtMs + perfToWall - ((frames + n - index) / RATE) * 1000;
    frames += n;
  }
  return Number.NaN;
}

/** Captured frame index (from chunk `from`) of the sample that reached the reader at wall-clock `wallMs`. */
export function sampleAtWall(pulse: PulseHarness, from: number, wallMs: number, perfToWall: number): number {
  let frames = 0;
  for (const chunk of pulse.chunks.slice(from)) {
    const n = chunk.data.length / 4;
    const endWall = chunk.arrivedAtMs + perfToWall;
    if (endWall >= wallMs) return Math.max(0, Math.round(frames + n - ((endWall - wallMs) / 1000) * RATE));
    frames += n;
  }
  return frames;
}

/** Offset between the wall clock and performance.now() in this process. */
export function perfToWallMs(): number {
  return Date.now() - performance.now();
}

/** Peak |sample| (left channel, [0,1]) over [from, to) of a float signal. */
export function peak(signal: Float64Array, from: number, to: number): number {
  let p = 0;
  for (let i = Math.max(0, from); i < Math.min(signal.length, to); i++) p = Math.max(p, Math.abs(signal[i]));
  return p;
}

/** One `POST /appliance/v1/plays` seen by the proxy: the sequences sent and the hub's answer (null: none). */
export interface PlaysExchange {
  sequences: number[];
  status: number | null;
  answer: { accepted?: number; duplicates?: number; storedThrough?: number } | null;
  /** The answer was withheld from the appliance (see `holdNextPlaysAnswer`). */
  withheld: boolean;
}

/**
 * An HTTP proxy in front of the hub (the appliance is enrolled through it, so its keystore names the proxy): forwards
 * every request as is (Host header unchanged, so request signatures still verify) to the hub's port, refuses
 * connections while the hub is down (connection reset), records every play upload with the hub's answer, and can
 * withhold the hub's answer to the next play upload so the appliance can be killed after the hub stored the batch but
 * before the appliance learned it.
 */
export class HubProxy {
  readonly plays: PlaysExchange[] = [];
  private server: import('node:http').Server | undefined;
  private holdNext: ((exchange: PlaysExchange) => void) | undefined;
  port = 0;

  constructor(private readonly hubPort: () => number) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const http = await import('node:http');
    this.server = http.createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (d: Buffer) => body.push(d));
      req.on('end', () => {
        const bytes = Buffer.concat(body);
        const isPlays = req.method === 'POST' && (req.url ?? '').startsWith('/appliance/v1/plays');
        let exchange: PlaysExchange | undefined;
        if (isPlays) {
          const sent = JSON.parse(bytes.toString('utf8') || '{}') as { plays?: { sequence: number }[] };
          exchange = {
            sequences: (sent.plays ?? []).map((p) => p.sequence),
            status: null,
            answer: null,
            withheld: false,
          };
          this.plays.push(exchange);
        }
        const upstream = http.request(
          { host: '127.0.0.1', port: this.hubPort(), method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (d: Buffer) => parts.push(d));
            answer.on('end', () => {
              const out = Buffer.concat(parts);
              if (exchange) {
                exchange.status = answer.statusCode ?? null;
                try {
                  exchange.answer = JSON.parse(out.toString('utf8')) as PlaysExchange['answer'];
                } catch {
                  exchange.answer = null;
                }
                const hold = this.holdNext;
                if (hold && answer.statusCode === 200) {
                  this.holdNext = undefined;
                  exchange.withheld = true;
                  hold(exchange);
                  return; // never answered: the appliance is killed while waiting
                }
              }
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(out);
            });
          },
        );
        upstream.on('error', () => req.socket.destroy());
        upstream.end(bytes);
      });
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** Resolves with the next play upload the hub answered 200, whose answer is withheld from the appliance. */
  holdNextPlaysAnswer(): Promise<PlaysExchange> {
    return new Promise((done) => (this.holdNext = done));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

/**
 * Arrival time (performance.now() ms) of the first audible frame (|sample| >= 64) captured from chunk `from` on that
 * follows at least `silentMs` of silence: what a killed process had already handed to the sink plays out first, so
 * "music again" is the first sound after the gap.
 */
export function firstAudibleAfterSilence(pulse: PulseHarness, from: number, silentMs = 100): number | undefined {
  const need = (silentMs / 1000) * RATE;
  let silent = 0;
  for (const chunk of pulse.chunks.slice(from)) {
    for (let i = 0; i + 3 < chunk.data.length; i += 4) {
      if (Math.abs(chunk.data.readInt16LE(i)) >= 64) {
        if (silent >= need) return chunk.arrivedAtMs;
        silent = 0;
      } else silent += 1;
    }
  }
  return undefined;
}

/**
 * Milliseconds from now until the capture holds audible sound (|sample| >= 64), optionally from one PulseAudio
 * generation only; rejects after `timeoutMs`.
 */
export async function musicAgain(pulse: PulseHarness, timeoutMs: number, generation?: number): Promise<number> {
  const mark = pulse.mark();
  const startedAt = performance.now();
  await pulse.waitForCapture(() => pulse.firstAudibleAt(mark, 64, generation) !== undefined, timeoutMs);
  return (pulse.firstAudibleAt(mark, 64, generation) as number) - startedAt;
}

/**
 * Waits until every play the appliance closed is at the hub: nothing pending in its play log, the play in progress
 * is the last one it logged (the only one the hub cannot have yet), and the hub holds exactly one play fewer. Returns
 * the hub's plays for the appliance and the last sequence the appliance logged.
 */
export async function closedPlaysAtHub(
  ctx: HubContext,
  dataDir: string,
  applianceId: string,
  timeoutMs: number,
  what: string,
): Promise<{ plays: HubPlay[]; last: number }> {
  let plays: HubPlay[] = [];
  let last = 0;
  await until(
    async () => {
      const status = readStatus(dataDir);
      const np = status?.nowPlaying;
      if (!status?.playLog || status.playLog.pending !== 0 || !np) return false;
      last = status.playLog.lastSequence;
      if (np.sequence !== last) return false;
      plays = await hubPlays(ctx, applianceId);
      return plays.length === last - 1;
    },
    timeoutMs,
    what,
  );
  return { plays, last };
}
