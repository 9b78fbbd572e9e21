// What the HTTP framework costs per request, apart from the hub: `node bench/run.js bench/http-stack/stack.ts
// [express fastify bare ...]` starts app.ts once per configuration, warms up 3 s, then sends GET /health and a
// 645-byte JSON POST at RATE/s (default 1000) for SECONDS (default 20) each, open loop, with the check-in bench's raw
// client, and prints the server's CPU µs per request (/proc) and its latency. The Fastify configuration needs
// `npm install --no-save @nestjs/platform-fastify@12` first (not a dependency of the repository).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { RawHttpPool, serialise } from '../checkin/raw-client';
import { cpuSecondsOf } from '../support/proc';

const RATE = Number(process.env.RATE ?? 1000);
const SECONDS = Number(process.env.SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const CONFIGS = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['express', 'fastify', 'bare'];

// About the size of a check-in report.
const BODY = Buffer.from(
  JSON.stringify({
    playId: '3f1c2a9e-8b7d-4e6f-a5c4-1b2d3e4f5a6b',
    applianceId: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
    zoneId: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
    trackId: 'trk_00000000000000000000000000000042',
    isrc: 'GBAYE0601498',
    startedAt: '2026-11-24T15:06:51.123Z',
    endedAt: '2026-11-24T15:10:22.456Z',
    durationMs: 211333,
    playedMs: 211000,
    volume: 0.62,
    skipped: false,
    reason: 'scheduled',
    scheduleId: 'sch_0000000000000000000000000000001',
    licenceId: 'lic_00000000000000000000000000000007',
    venue: 'Example Cafe, 12 Sample Street',
    firmware: 'roomtone-appliance/1.4.2 (linux; arm64)',
    seq: 123456,
    note: 'x'.repeat(40),
  }),
);

interface Phase {
  requests: number;
  failures: number;
  p50: number;
  p99: number;
  max: number;
}

/** Sends request i at start + i/RATE whatever earlier ones are doing; latency from the scheduled instant. */
async function phase(pool: RawHttpPool, bytes: Buffer, seconds: number): Promise<Phase> {
  const total = Math.round(RATE * seconds);
  const latencies: number[] = [];
  let failures = 0;
  let done = 0;
  const start = performance.now() + 5;
  await new Promise<void>((resolve) => {
    let sent = 0;
    const finish = () => {
      done += 1;
      if (done === total) resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / RATE <= now) {
        const scheduled = start + (sent * 1000) / RATE;
        sent += 1;
        pool.request(bytes).then(
          (status) => {
            if (status === 200) latencies.push(performance.now() - scheduled);
            else failures += 1;
            finish();
          },
          () => {
            failures += 1;
            finish();
          },
        );
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { requests: total, failures, p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] ?? NaN };
}

async function run(config: string): Promise<void> {
  const child = spawn(process.execPath, [path.join(__dirname, '../run.js'), path.join(__dirname, 'app.ts')], {
    env: { ...process.env, ADAPTER: config, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`${config}: the app exited (${code}) before listening`)));
  });
  const pool = new RawHttpPool(port);
  const host = `127.0.0.1:${port}`;
  const routes: [string, Buffer][] = [
    ['GET /health', serialise('GET', '/health', host, { accept: 'application/json' })],
    ['POST /echo', serialise('POST', '/echo', host, { 'content-type': 'application/json' }, BODY)],
  ];
  for (const [name, bytes] of routes) {
    await phase(pool, bytes, WARMUP_SECONDS);
    const load = loadavg()[0].toFixed(2);
    const before = cpuSecondsOf(child.pid as number);
    const result = await phase(pool, bytes, SECONDS);
    const cpuUs = ((cpuSecondsOf(child.pid as number) - before) * 1e6) / result.requests;
    console.log(
      `| ${config} | ${name} | ${cpuUs.toFixed(0)} | ${result.p50.toFixed(1)} | ${result.p99.toFixed(1)} | ` +
        `${result.max.toFixed(1)} | ${result.failures} | ${load} |`,
    );
  }
  pool.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
}

async function main(): Promise<void> {
  console.log(`${RATE}/s for ${SECONDS} s per route, open loop; server CPU from /proc (ticks of 10 ms)\n`);
  console.log('| stack | route | CPU µs/request | p50 ms | p99 ms | max ms | failures | load (1 min) |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const config of CONFIGS) await run(config);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
