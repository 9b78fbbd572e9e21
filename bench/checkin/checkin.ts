// Check-in latency at a fixed arrival rate: the hub as a child process on SQLite with N appliances, each enrolled
// through the real API (factory bundle, one zone each with a published plan, a venue licence), driven open-loop.
// `node bench/run.js bench/checkin/checkin.ts [rate/s, default 1000] [seconds, default 30] [appliances, default 500]
//   [--built]` (--built: run hub/dist/main.js from `npm run build`; default: the hub's sources compiled by
// bench/run.js, the same code without a build step).
// Sends are scheduled by time (request i at start + i/rate) and never wait for replies; latency is measured from the
// scheduled instant, so a stalled hub shows up as latency instead of a slower generator. Every check-in is signed in
// a warm-up before the run (a unique nonce each, created a few seconds before it is sent). The reference is unsigned
// GET /health at the same rate through the same pipeline, in the same run. The client is raw-client.ts (bytes
// prepared before the run, keep-alive sockets, a minimal response parser), so its own lag stays out of the figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import {
  generateApplianceKeys,
  loadSodium,
  signRequest,
  toBase64Url,
  type ApplianceKeys,
  type CheckinRequest,
  type Sodium,
} from '@roomtone/provisioning';
import { cpuSecondsOf } from '../support/proc';
import { RawHttpPool, serialise } from './raw-client';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const RATE = Number(positional[0] ?? 1000);
const SECONDS = Number(positional[1] ?? 30);
const APPLIANCES = Number(positional[2] ?? 500);
const BUILT = process.argv.includes('--built');
const WARMUP_SECONDS = 3;
const ROOT = resolve(__dirname, '../..');

interface Hub {
  child: ChildProcess;
  base: string;
  password: string;
  stdout: string[];
}

function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

async function startHub(dataDir: string): Promise<Hub> {
  const args = BUILT ? [join(ROOT, 'hub/dist/main.js')] : [join(ROOT, 'bench/run.js'), join(ROOT, 'hub/src/main.ts')];
  // BENCH_HUB_NODE_ARGS: extra node options for the hub, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      HOST: '127.0.0.1',
      ROOMTONE_DATA_DIR: dataDir,
      ROOMTONE_DEMO_SEED: 'core',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stdout: string[] = [];
  let buffer = '';
  const ready = new Promise<{ port: number; password: string }>((resolveReady, reject) => {
    let port = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (stdout.length < 10_000) stdout.push(line);
        const listening = /"msg":"hub listening","url":"http:\/\/localhost:(\d+)"/.exec(line);
        if (listening) port = Number(listening[1]);
        const password = /^\s+password\s+(\S+)$/.exec(line);
        if (password && port) resolveReady({ port, password: password[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`hub exited (${code}) before it was ready:\n${stdout.join('\n')}`)));
  });
  const { port, password } = await ready;
  return { child, base: `http://127.0.0.1:${port}`, password, stdout };
}

/** A JSON call as a signed-in user; throws unless the status is `expect`. */
async function api(
  base: string,
  session: Record<string, string>,
  method: string,
  path: string,
  json: unknown,
  expect: number,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...session },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  if (response.status !== expect) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

interface Venue {
  id: string;
  organisationId: string;
  timeZone: string;
}

/**
 * Enrols `count` appliances through the real API: a venue licence, a factory bundle, and for each appliance a zone
 * it is placed in, with a published schedule (so a plan).
 */
async function enrol(hub: Hub, sodium: Sodium, count: number): Promise<{ id: string; keys: ApplianceKeys }[]> {
  const login = await fetch(`${hub.base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'operator@demo.roomtone.test', password: hub.password }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const session = { cookie, 'x-csrf-token': csrfToken };
  const venues = (await api(hub.base, session, 'GET', '/venues', undefined, 200)) as unknown as
    { items: Venue[] } | Venue[];
  const venue = (Array.isArray(venues) ? venues : venues.items)[0];
  const venueId = venue.id;
  // Every zone gets a published schedule, so each check-in finds its zone's current plan as a real one does. The
  // `core` demo seed has no catalogue: the programme's rules match no track, which compiles to a plan all the same.
  const programme = await api(
    hub.base,
    session,
    'POST',
    `/organisations/${venue.organisationId}/programmes`,
    { name: 'Bench', kind: 'rules', rules: { genres: ['bench'] } },
    201,
  );
  await api(
    hub.base,
    session,
    'POST',
    `/venues/${venueId}/licences`,
    { tier: 'full', validFrom: '2020-01-01T00:00:00Z', validUntil: '2099-01-01T00:00:00Z', leaseDays: 14 },
    201,
  );
  const keys = Array.from({ length: count }, () => generateApplianceKeys(sodium));
  const appliances: { id: string; keys: ApplianceKeys }[] = [];
  for (let i = 0; i < count; i += 1000) {
    const slice = keys.slice(i, i + 1000);
    const bundle = await api(
      hub.base,
      session,
      'POST',
      `/api/venues/${venueId}/appliances/bundle`,
      {
        appliances: slice.map((k) => ({
          publicKeys: { signing: toBase64Url(k.signing.publicKey), encryption: toBase64Url(k.encryption.publicKey) },
        })),
      },
      201,
    );
    (bundle.appliances as { id: string }[]).forEach((a, j) => appliances.push({ id: a.id, keys: slice[j] }));
  }
  for (const [i, appliance] of appliances.entries()) {
    const zone = await api(hub.base, session, 'POST', `/venues/${venueId}/zones`, { name: `Bench ${i}` }, 201);
    await api(
      hub.base,
      session,
      'POST',
      `/zones/${zone.id as string}/replace-appliance`,
      { applianceId: appliance.id },
      200,
    );
    await api(
      hub.base,
      session,
      'PUT',
      `/zones/${zone.id as string}/schedule/draft`,
      {
        version: 1,
        zone: venue.timeZone,
        blocks: [{ id: 'day', rule: { cron: '0 9 * * *' }, duration: 'PT8H', programme: programme.id, volume: 50 }],
      },
      200,
    );
    await api(hub.base, session, 'POST', `/zones/${zone.id as string}/schedule/publish`, undefined, 200);
  }
  return appliances;
}

interface Prepared {
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
}

function checkinBody(now: number): CheckinRequest {
  return {
    softwareVersion: '1.0.0-bench',
    clock: new Date(now).toISOString(),
    uptimeSeconds: 86_400,
    state: 'playing',
    planId: null,
    licenceEtag: null,
    nowPlaying: {
      trackId: '01936f1e-0000-7000-8000-0000000000aa',
      programmeId: null,
      startedAt: new Date(now - 60_000).toISOString(),
      quality: 'full',
    },
    cache: { tracks: 120, bytes: 480_000_000, budgetBytes: 4_000_000_000, missing: 0 },
    disk: { freeBytes: 9_000_000_000 },
    playLog: { pending: 2, lastSequence: 5000 },
    errors: [],
  };
}

/** Signs `count` check-ins round-robin over the appliances. */
function presign(
  sodium: Sodium,
  base: string,
  appliances: { id: string; keys: ApplianceKeys }[],
  count: number,
): Prepared[] {
  const url = `${base}/appliance/v1/checkin`;
  const host = new URL(base).host;
  const clock = { now: () => Date.now() };
  const out: Prepared[] = [];
  for (let i = 0; i < count; i++) {
    const a = appliances[i % appliances.length];
    const body = Buffer.from(JSON.stringify(checkinBody(Date.now())));
    const headers = signRequest(
      { method: 'POST', url, body },
      { sodium, keyId: a.id, secretKey: a.keys.signing.secretKey, clock },
    );
    out.push({
      path: '/appliance/v1/checkin',
      method: 'POST',
      headers: { ...headers, host, 'content-type': 'application/json', 'content-length': String(body.length) },
      body,
    });
  }
  return out;
}

interface Run {
  sent: number;
  ok: number;
  errors: Map<string, number>;
  latenciesMs: number[];
  wallSeconds: number;
  hubCpuSeconds: number;
  ownCpuSeconds: number;
  maxLagMs: number;
}

/** Open loop: request i leaves at start + i/RATE (or as soon after as the event loop allows); no waiting for replies. */
async function drive(port: number, pid: number, requests: Prepared[], expect: number): Promise<Run> {
  const pool = new RawHttpPool(port);
  const wire = requests.map((r) => serialise(r.method, r.path, r.headers.host ?? '127.0.0.1', r.headers, r.body));
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let ok = 0;
  let done = 0;
  let maxLagMs = 0;
  const total = requests.length;
  const hubCpu0 = cpuSecondsOf(pid);
  const ownCpu0 = ownCpuSeconds();
  const start = performance.now();
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const fail = (key: string) => errors.set(key, (errors.get(key) ?? 0) + 1);
  const send = (i: number, scheduled: number) => {
    pool.request(wire[i]).then(
      (status) => {
        latencies.push(performance.now() - scheduled);
        if (status === expect) ok++;
        else fail(`HTTP ${status}`);
        if (++done === total) finish();
      },
      (e: Error) => {
        fail(e.message);
        if (++done === total) finish();
      },
    );
  };
  let next = 0;
  while (next < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) * RATE) / 1000) + 1);
    for (; next < due; next++) {
      const scheduled = start + (next * 1000) / RATE;
      maxLagMs = Math.max(maxLagMs, now - scheduled);
      send(next, scheduled);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const sendWall = (performance.now() - start) / 1000;
  await Promise.race([finished, new Promise((r) => setTimeout(r, 30_000))]);
  // Requests still unanswered 30 s after the last send count as errors (and have no latency figure).
  if (done < total) errors.set('unanswered after 30 s', total - done);
  const run: Run = {
    sent: total,
    ok,
    errors,
    latenciesMs: latencies,
    wallSeconds: sendWall,
    hubCpuSeconds: cpuSecondsOf(pid) - hubCpu0,
    ownCpuSeconds: ownCpuSeconds() - ownCpu0,
    maxLagMs,
  };
  pool.close();
  return run;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function row(name: string, run: Run): string {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(1);
  const errors = [...run.errors.entries()].map(([k, v]) => `${k} x${v}`).join(', ') || '0';
  return `| ${name} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 95))} | ${f(percentile(sorted, 99))} | ${f(sorted[sorted.length - 1])} | ${Math.round(run.sent / run.wallSeconds)} | ${run.ok} | ${errors} | ${run.hubCpuSeconds.toFixed(2)} | ${((run.hubCpuSeconds * 1e6) / Math.max(1, run.ok)).toFixed(0)} | ${run.ownCpuSeconds.toFixed(2)} | ${f(run.maxLagMs)} |`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'roomtone-bench-checkin-'));
  const sodium = await loadSodium();
  const hub = await startHub(dataDir);
  try {
    const pid = hub.child.pid as number;
    const port = Number(new URL(hub.base).port);
    const t0 = performance.now();
    const appliances = await enrol(hub, sodium, APPLIANCES);
    const enrolSeconds = (performance.now() - t0) / 1000;
    const count = RATE * SECONDS;
    const health: Prepared[] = Array.from({ length: count }, () => ({
      path: '/health',
      method: 'GET' as const,
      headers: { host: new URL(hub.base).host },
    }));
    // Warm-up: both paths at the rate for a few seconds (JIT, connection pool, SQLite page cache).
    await drive(port, pid, health.slice(0, RATE * WARMUP_SECONDS), 200);
    await drive(port, pid, presign(sodium, hub.base, appliances, RATE * WARMUP_SECONDS), 200);
    const healthRun = await drive(port, pid, health, 200);
    const s0 = performance.now();
    const signed = presign(sodium, hub.base, appliances, count);
    const signSeconds = (performance.now() - s0) / 1000;
    const checkinRun = await drive(port, pid, signed, 200);
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(
      `hub ${BUILT ? 'hub/dist/main.js' : 'sources via bench/run.js'} on SQLite, ${appliances.length} appliances (enrolled through the API in ${enrolSeconds.toFixed(1)} s), ${RATE}/s for ${SECONDS} s each, ${cpus().length} CPUs, load average ${load} at the end; ${count} check-ins signed in ${signSeconds.toFixed(1)} s before their run`,
    );
    console.log('');
    console.log(
      '| path | p50 ms | p95 ms | p99 ms | max ms | achieved/s | 2xx | errors | hub CPU s | hub CPU µs/req | generator CPU s | max send lag ms |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
    console.log(row('GET /health (reference, unsigned)', healthRun));
    console.log(row('POST /appliance/v1/checkin (signed)', checkinRun));
    const p99 = percentile(
      [...checkinRun.latenciesMs].sort((a, b) => a - b),
      99,
    );
    const ref = percentile(
      [...healthRun.latenciesMs].sort((a, b) => a - b),
      99,
    );
    console.log('');
    console.log(
      `check-in p99 ${p99.toFixed(1)} ms (target 25 ms: ${p99 <= 25 ? 'met' : 'NOT met'}), ${(p99 / ref).toFixed(2)} x the reference p99; hub CPU per check-in ${(checkinRun.hubCpuSeconds / Math.max(1, checkinRun.ok) / (healthRun.hubCpuSeconds / Math.max(1, healthRun.ok))).toFixed(2)} x per /health`,
    );
  } finally {
    hub.child.kill('SIGTERM');
    await new Promise((r) => hub.child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
