// Appliance track delivery under load: the built hub (hub/dist, SQLite) in a child process serving encrypted
// downloads to C concurrent signed clients each fetching K distinct tracks of ~M MB; beside nginx serving the same
// plaintext files to the same load, and beside the raw AEAD primitive on one core in this process.
// `npm run build && node bench/run.js bench/delivery/delivery.ts [clients=200] [tracks per client=10] [MB per track=8]`
// Cached MP3s: $ROOMTONE_BENCH_CACHE or <tmp>/roomtone-bench-delivery (made with ffmpeg on the first run).
// BENCH_DELIVERY_PHASES: which parts to run (comma-separated, default all): load (the C x K downloads), fixed (the
// 100-byte requests), nginx. BENCH_HUB_NODE_ARGS: extra node options for the hub (e.g. --cpu-prof, see hub.ts).
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import sodiumNative from 'sodium-native';
import { decryptToBuffer, loadSodium, signRequest, type Sodium } from '@roomtone/provisioning';
import { runFfmpeg } from '../../hub/src/catalog/media';
import { HUB_MAIN, startHub } from './hub';
import { cpuOf, cpuSecondsOf } from '../support/proc';
import { childrenOf, percentile, runLoad, type LoadResult } from './load';
import { startNginx } from './nginx';
import { seed, type BenchAppliance } from './seed';

const CLIENTS = Number(process.argv[2] ?? 200);
const PER_CLIENT = Number(process.argv[3] ?? 10);
const TRACK_MB = Number(process.argv[4] ?? 8);
const TRACKS = Math.max(10, PER_CLIENT);
const MB = 1e6;
// BENCH_DELIVERY_FIXED_CLIENTS: concurrency of the 100-byte requests (default 20; 200 shows the herd without bulk).
const FIXED_CLIENTS = Number(process.env.BENCH_DELIVERY_FIXED_CLIENTS ?? 20);
const PHASES = new Set((process.env.BENCH_DELIVERY_PHASES ?? 'load,fixed,nginx').split(',').map((p) => p.trim()));

function uptime(): string {
  return execFileSync('uptime').toString().trim();
}

/** TRACKS distinct MP3s of ~TRACK_MB MB (one ffmpeg encode, then stream copies with distinct tags) and a preview. */
async function cachedFiles(): Promise<{ deliveries: string[]; preview: string }> {
  const dir = process.env.ROOMTONE_BENCH_CACHE ?? path.join(tmpdir(), 'roomtone-bench-delivery');
  await mkdir(dir, { recursive: true });
  const seconds = Math.round((TRACK_MB * MB * 8) / 320_000);
  const base = path.join(dir, `base-${TRACK_MB}mb.mp3`);
  if (!existsSync(base)) {
    console.log(`generating a ${seconds} s 320 kbps MP3 with ffmpeg (cached in ${dir})`);
    await runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      `aevalsrc=0.3*sin(440*2*PI*t)*(1+0.2*sin(3*t))|0.3*sin(554*2*PI*t)*(1+0.2*sin(2*t)):s=44100:d=${seconds}`,
      '-c:a',
      'libmp3lame',
      '-b:a',
      '320k',
      `${base}.part.mp3`,
    ]);
    await runFfmpeg(['-y', '-i', `${base}.part.mp3`, '-c', 'copy', base]);
    await rm(`${base}.part.mp3`);
  }
  const deliveries: string[] = [];
  for (let i = 0; i < TRACKS; i++) {
    const file = path.join(dir, `track-${TRACK_MB}mb-${i}.mp3`);
    if (!existsSync(file)) {
      await runFfmpeg(['-y', '-i', base, '-c', 'copy', '-metadata', `comment=roomtone bench track ${i}`, file]);
    }
    deliveries.push(file);
  }
  const preview = path.join(dir, 'preview.mp3');
  if (!existsSync(preview)) {
    await runFfmpeg(['-y', '-i', base, '-t', '30', '-ac', '1', '-ar', '22050', '-b:a', '48k', preview]);
  }
  return { deliveries, preview };
}

/** The raw primitive: crypto_aead_xchacha20poly1305_ietf_encrypt over 64 KiB chunks, one core, for ~`seconds`. */
function primitive(seconds: number): { mbPerCpuSecond: number; mbPerSecond: number } {
  const chunk = Buffer.alloc(65_536, 7);
  const out = Buffer.alloc(65_536 + 16);
  const ad = Buffer.alloc(41, 1);
  const nonce = Buffer.alloc(24, 2);
  const key = Buffer.alloc(32, 3);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  let bytes = 0;
  while (performance.now() - w0 < seconds * 1000) {
    for (let i = 0; i < 256; i++) {
      nonce.writeUInt32BE(i, 20);
      sodiumNative.crypto_aead_xchacha20poly1305_ietf_encrypt(out, chunk, ad, null, nonce, key);
    }
    bytes += 256 * chunk.length;
  }
  const wall = (performance.now() - w0) / 1000;
  const used = process.cpuUsage(c0);
  const cpu = (used.user + used.system) / 1e6;
  return { mbPerCpuSecond: bytes / MB / cpu, mbPerSecond: bytes / MB / wall };
}

interface Side {
  name: string;
  load: LoadResult;
  cpuSeconds: number;
  systemSeconds: number;
}

function report(side: Side): void {
  const { load } = side;
  const gb = load.bytes / 1e9;
  console.log(
    `${side.name}: ${load.requests} downloads, ${(load.bytes / MB).toFixed(0)} MB in ${load.wallSeconds.toFixed(1)} s = ` +
      `${(load.bytes / MB / load.wallSeconds).toFixed(0)} MB/s aggregate; server CPU ${side.cpuSeconds.toFixed(1)} s ` +
      `(${side.systemSeconds.toFixed(1)} s system) = ${(side.cpuSeconds / gb).toFixed(2)} CPU-s/GB (${(side.cpuSeconds / load.wallSeconds).toFixed(2)} cores used, ` +
      `${(load.bytes / MB / side.cpuSeconds).toFixed(0)} MB per CPU-s); time to first byte p50 ` +
      `${percentile(load.ttfbMs, 50).toFixed(1)} ms, p99 ${percentile(load.ttfbMs, 99).toFixed(1)} ms, max ` +
      `${Math.max(...load.ttfbMs).toFixed(1)} ms (each client's first request: p50 ${percentile(load.firstTtfbMs, 50).toFixed(1)}, ` +
      `p99 ${percentile(load.firstTtfbMs, 99).toFixed(1)} ms; the others: p50 ${percentile(load.laterTtfbMs, 50).toFixed(1)}, ` +
      `p99 ${percentile(load.laterTtfbMs, 99).toFixed(1)} ms); failures ${load.failures.length}, retried after reset ${load.retries}; ` +
      `client CPU ${load.clientCpuSeconds.toFixed(1)} s`,
  );
  if (load.failures.length > 0) console.log(`  first failures: ${load.failures.slice(0, 3).join('; ')}`);
}

async function hubSide(sodium: Sodium, deliveries: string[], preview: string): Promise<Side | null> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'roomtone-bench-delivery-hub-'));
  const env = {
    ROOMTONE_DATA_DIR: dataDir,
    ROOMTONE_DEMO_SEED: 'false',
    ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0',
  };
  Object.assign(process.env, env);
  const seeded = await seed(sodium, deliveries, preview, CLIENTS);
  console.log(`seeded ${seeded.appliances.length} appliances (zones, plans) and ${seeded.trackIds.length} tracks`);
  const hub = await startHub(env);
  console.log(`hub listening (pid ${hub.pid})`);
  try {
    const clock = { now: () => Date.now() };
    const sign = (appliance: BenchAppliance, url: string) => ({
      ...signRequest(
        { method: 'GET', url },
        { sodium, keyId: appliance.id, secretKey: appliance.keys.signing.secretKey, clock },
      ),
    });
    const urlFor = (c: number, k: number) =>
      `${hub.baseUrl}/appliance/v1/tracks/${seeded.trackIds[(c + k) % seeded.trackIds.length]}`;

    // Correctness first: one download decrypts, with the appliance's keys, to the delivery file.
    const url = urlFor(0, 0);
    const response = await fetch(url, { headers: sign(seeded.appliances[0], url) });
    if (response.status !== 200) throw new Error(`hub answered ${response.status}: ${await response.text()}`);
    const plain = await decryptToBuffer(sodium, Buffer.from(await response.arrayBuffer()), {
      publicKey: seeded.appliances[0].keys.encryption.publicKey,
      secretKey: seeded.appliances[0].keys.encryption.secretKey,
      applianceId: seeded.appliances[0].id,
    });
    if (!plain.equals(readFileSync(deliveries[0])))
      throw new Error('decrypted download differs from the delivery file');
    console.log('check: a download decrypts with the appliance keys to the delivery file');

    // Warm-up, not measured: a hub in service has run its request path many times (JIT-compiled) and has each
    // appliance's rows in cache; one 100-byte request per appliance brings this fresh one there.
    let warmed = 0;
    await runLoad({
      clients: 20,
      perClient: Math.ceil(CLIENTS / 20),
      urlFor,
      headersFor: (_c, u) => ({ ...sign(seeded.appliances[warmed++ % CLIENTS], u), range: 'bytes=0-99' }),
    });

    if (PHASES.has('fixed')) {
      // The fixed cost of a request (signature + nonce, licence, plan, track, encryptor, first chunk): 100-byte ranges.
      const before = cpuSecondsOf(hub.pid);
      const small = await runLoad({
        clients: FIXED_CLIENTS,
        perClient: Math.ceil(1000 / FIXED_CLIENTS),
        urlFor,
        headersFor: (c, u) => ({ ...sign(seeded.appliances[c], u), range: 'bytes=0-99' }),
      });
      const smallCpu = cpuSecondsOf(hub.pid) - before;
      console.log(
        `hub fixed cost: ${small.requests} requests of 100 bytes (206) by ${FIXED_CLIENTS} clients: ` +
          `${((smallCpu / small.requests) * 1000).toFixed(2)} ms CPU per request, time to first byte p50 ` +
          `${percentile(small.ttfbMs, 50).toFixed(1)} ms, p99 ${percentile(small.ttfbMs, 99).toFixed(1)} ms; ` +
          `failures ${small.failures.length}; client CPU ${small.clientCpuSeconds.toFixed(1)} s`,
      );
    }
    let side: Side | null = null;
    if (PHASES.has('load')) {
      const before = cpuOf(hub.pid);
      const load = await runLoad({
        clients: CLIENTS,
        perClient: PER_CLIENT,
        urlFor,
        headersFor: (c, u) => sign(seeded.appliances[c], u),
      });
      const after = cpuOf(hub.pid);
      side = {
        name: 'hub (encrypted, signed requests)',
        load,
        cpuSeconds: after.user + after.system - before.user - before.system,
        systemSeconds: after.system - before.system,
      };
    }

    return side;
  } finally {
    await hub.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function nginxSide(deliveries: string[]): Promise<Side> {
  const prefix = await mkdtemp(path.join(tmpdir(), 'roomtone-bench-nginx-'));
  const files = new Map(deliveries.map((file, i) => [`t${i}.mp3`, file]));
  const nginx = await startNginx(prefix, files);
  try {
    const pids = () => [nginx.pid, ...childrenOf(nginx.pid)];
    const cpu = () => pids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
    const system = () => pids().reduce((sum, pid) => sum + cpuOf(pid).system, 0);
    const before = cpu();
    const systemBefore = system();
    const load = await runLoad({
      clients: CLIENTS,
      perClient: PER_CLIENT,
      urlFor: (c, k) => `${nginx.baseUrl}/t${(c + k) % deliveries.length}.mp3`,
      headersFor: () => ({}),
    });
    return {
      name: 'nginx (plaintext, sendfile)',
      load,
      cpuSeconds: cpu() - before,
      systemSeconds: system() - systemBefore,
    };
  } finally {
    await nginx.stop();
    await rm(prefix, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(HUB_MAIN)) throw new Error('run `npm run build` first');
  const sodium = await loadSodium();
  console.log(`delivery bench: ${CLIENTS} clients x ${PER_CLIENT} tracks of ~${TRACK_MB} MB; ${cpus().length} CPUs`);
  console.log(`before: ${uptime()}`);
  const { deliveries, preview } = await cachedFiles();
  console.log(
    `tracks: ${deliveries.length} x ${((await stat(deliveries[0])).size / MB).toFixed(2)} MB; sodium: ${sodium.name}`,
  );

  const p1 = primitive(3);
  const hub = await hubSide(sodium, deliveries, preview);
  if (hub) report(hub);
  console.log(
    `after hub: load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const nginx = PHASES.has('nginx') ? await nginxSide(deliveries) : null;
  if (nginx) report(nginx);
  const p2 = primitive(3);
  const prim = (p1.mbPerCpuSecond + p2.mbPerCpuSecond) / 2;
  console.log(
    `primitive (xchacha20poly1305 encrypt, 64 KiB chunks, 1 core): ${p1.mbPerCpuSecond.toFixed(0)} and ` +
      `${p2.mbPerCpuSecond.toFixed(0)} MB per CPU-s (before/after), mean ${prim.toFixed(0)} = ${(1000 / prim).toFixed(2)} CPU-s/GB`,
  );
  if (hub) {
    const hubPerCpu = hub.load.bytes / MB / hub.cpuSeconds;
    const ratio = hubPerCpu / prim;
    const p99 = percentile(hub.load.ttfbMs, 99);
    console.log(
      `hub MB per CPU-s / primitive MB per CPU-s = ${ratio.toFixed(2)} (target >= 0.80: ${ratio >= 0.8 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `hub p99 time to first byte ${p99.toFixed(1)} ms (target <= 100 ms: ${p99 <= 100 ? 'met' : 'NOT met'})`,
    );
  }
  if (hub && nginx) {
    console.log(
      `hub / nginx: aggregate MB/s ${(hub.load.bytes / hub.load.wallSeconds / (nginx.load.bytes / nginx.load.wallSeconds)).toFixed(2)}, ` +
        `CPU-s per GB ${(hub.cpuSeconds / hub.load.bytes / (nginx.cpuSeconds / nginx.load.bytes)).toFixed(1)}x`,
    );
  }
  console.log(`after: ${uptime()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
