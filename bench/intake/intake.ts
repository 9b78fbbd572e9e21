// Play intake under load: the built hub (hub/dist) in a child process, on SQLite and then on PostgreSQL
// (ROOMTONE_TEST_DATABASE_URL, from `. test/support/start-postgres.sh`), with N appliances posting signed batches of
// 500 chained plays concurrently; plays per second durably accepted (every answer a 200 with accepted = 500, and the
// count checked afterwards from a fresh connection). Beside it, in the same run, the raw driver's ceiling for the
// same rows: better-sqlite3 / pg running the hub's own multi-row INSERT (same schema, migrated the same way; SQLite
// WAL + synchronous=FULL, PostgreSQL default fsync), one transaction per 500 rows.
//
//   npm run build && . test/support/start-postgres.sh && node bench/run.js bench/intake/intake.ts
//   APPLIANCES=8 BATCHES=10 node bench/run.js bench/intake/intake.ts
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import {
  canonicalBytes,
  generateApplianceKeys,
  loadSodium,
  signRequest,
  type ApplianceKeys,
  type PlayRecord,
  type Sodium,
} from '@roomtone/provisioning';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../hub/src/app.module';
import { AppliancesRepository } from '../../hub/src/appliances/appliances.repository';
import { newAppliance } from '../../hub/src/appliances/lifecycle/new-appliance';
import { Track } from '../../hub/src/catalog/entities/track.entity';
import { IdGenerator } from '../../hub/src/common/ids/id-generator';
import { JsonLogger } from '../../hub/src/common/logging/json-logger';
import { insertPlaysSql, PLAY_COLUMNS, type Dialect } from '../../hub/src/plays/intake-steps';
import * as tenancy from '../../hub/src/tenancy';
import { freshDatabase, type DatabaseKind, type FreshDatabase } from '../../test/support/databases';
import { startHubProcess, stopHubProcess } from '../../test/support/hub-process';
import { cpuSecondsOf, threadCpuSeconds, threadCpuSummary } from '../support/proc';

const APPLIANCES = Number(process.env.APPLIANCES ?? 8);
const BATCHES = Number(process.env.BATCHES ?? 10);
const BATCH = 500;
const TRACKS = 20;
const GENESIS = '0'.repeat(64);

interface BenchAppliance {
  id: string;
  zoneId: string;
  keys: ApplianceKeys;
  /** Request bodies, oldest first, built before timing starts. */
  bodies: Buffer[];
  /** The same plays, for the raw ceiling. */
  batches: PlayRecord[][];
}

interface Seeded {
  venueId: string;
  planIdOf: Map<string, string>;
  tracks: { id: string; title: string }[];
  appliances: BenchAppliance[];
}

function uptime(): string {
  return execFileSync('uptime').toString().trim();
}

function chainOf(tag: number, count: number, startMs: number, trackIds: string[], planId: string): PlayRecord[] {
  const out: PlayRecord[] = [];
  let prev = GENESIS;
  for (let s = 1; s <= count; s += 1) {
    const record: Omit<PlayRecord, 'hash'> = {
      playId: `0193b000-0000-4000-8000-${(tag * 10_000_000 + s).toString(16).padStart(12, '0')}`,
      sequence: s,
      prevHash: prev,
      trackId: trackIds[s % trackIds.length],
      planId,
      programmeId: null,
      blockId: 'all-day',
      rule: 'FREQ=DAILY;BYHOUR=8;BYMINUTE=0',
      startedAt: new Date(startMs + (s - 1) * 200_000).toISOString(),
      secondsAudible: 179.5,
      source: 'scheduled',
      quality: 'full',
      offline: s % 7 === 0,
      ended: 'completed',
    };
    const hash = createHash('sha256').update(canonicalBytes(record)).digest('hex');
    out.push({ ...record, hash } as PlayRecord);
    prev = hash;
  }
  return out;
}

/** Seeds the database named by process.env through the hub's own modules (migrations run at boot). */
async function seed(sodium: Sodium, dialect: Dialect, applianceCount: number): Promise<Seeded> {
  const logger = new JsonLogger('error', () => undefined);
  const app = await NestFactory.createApplicationContext(AppModule, { logger, abortOnError: false });
  try {
    const ids = app.get(IdGenerator);
    const dataSource = app.get(DataSource);
    const now = new Date();
    const business = await app.get(tenancy.OrganisationsRepository).create({ kind: 'business', name: 'Bench Cafés' });
    const label = await app.get(tenancy.OrganisationsRepository).create({ kind: 'label', name: 'Bench Records' });
    const venue = await app
      .get(tenancy.VenuesRepository)
      .create({ organisationId: business.id, name: 'Bench Street', timeZone: 'Europe/Berlin' });
    const tracks: { id: string; title: string }[] = [];
    for (let i = 0; i < TRACKS; i += 1) {
      const id = ids.next();
      await dataSource.getRepository(Track).insert({
        id,
        ownerOrganisationId: label.id,
        status: 'ready',
        contentSha256: createHash('sha256').update(id).digest('hex'),
        title: `Bench ${i + 1}`,
        artist: 'Bench Artist',
        album: 'Bench Album',
        label: 'Bench Records',
        year: 2026,
        isrc: `DEA01260${String(i).padStart(4, '0')}`,
        genre: null,
        mood: null,
        bpm: null,
        explicit: false,
        durationMs: 180_000,
        masterFormat: 'mp3',
        masterSizeBytes: 1000,
        masterBitrate: 320_000,
        originalFilename: null,
        uploadedByUserId: null,
        createdAt: now,
        updatedAt: now,
      });
      tracks.push({ id, title: `Bench ${i + 1}` });
    }
    const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
    const set = createHash('sha256')
      .update(
        tracks
          .map((t) => t.id)
          .sort()
          .join('\n'),
      )
      .digest('hex');
    for (const t of tracks) {
      await dataSource.query(`INSERT INTO plan_tracks (track_set, track_id) VALUES (${p(1)}, ${p(2)})`, [set, t.id]);
    }
    const planIdOf = new Map<string, string>();
    const appliances: BenchAppliance[] = [];
    const rows = [];
    const from = new Date(now.getTime() - 60 * 86_400_000).toISOString();
    const until = new Date(now.getTime() + 14 * 86_400_000).toISOString();
    for (let i = 0; i < applianceCount; i += 1) {
      const zone = await app.get(tenancy.ZonesRepository).create(venue.id, `Zone ${i + 1}`);
      const planId = ids.next();
      planIdOf.set(zone.id, planId);
      await dataSource.query(
        `INSERT INTO plans (id, zone_id, venue_id, schedule_version, licence_id, licence_version, licence_tier,
           licence_change_at, compiled_at, horizon_from, horizon_until, etag, track_set, reason, document, superseded_at)
         VALUES (${[1, 2, 3].map(p).join(', ')}, 0, NULL, NULL, 'full', NULL, ${[4, 5, 6, 7, 8].map(p).join(', ')}, 'bench', '{}', NULL)`,
        [planId, zone.id, venue.id, from, from, until, set, set],
      );
      const keys = generateApplianceKeys(sodium);
      const id = ids.next();
      appliances.push({ id, zoneId: zone.id, keys, bodies: [], batches: [] });
      rows.push(
        newAppliance({
          id,
          venueId: venue.id,
          zoneId: zone.id,
          keys: { signing: keys.signing.publicKey, encryption: keys.encryption.publicKey },
          via: 'code',
          now,
        }),
      );
    }
    await app.get(AppliancesRepository).insert(rows);
    return { venueId: venue.id, planIdOf, tracks, appliances };
  } finally {
    await app.close();
  }
}

/** Migrates an empty database of the same kind (the schema the ceiling writes into). */
async function migrateOnly(): Promise<void> {
  const logger = new JsonLogger('error', () => undefined);
  const app = await NestFactory.createApplicationContext(AppModule, { logger, abortOnError: false });
  await app.close();
}

function useDatabase(db: FreshDatabase): Record<string, string> {
  const env = {
    ...db.env,
    ROOMTONE_DEMO_SEED: 'false',
    ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0',
    // info: the 'hub listening' line startHubProcess waits for is logged at info.
    LOG_LEVEL: 'info',
    // e.g. HUB_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the hub under load.
    ...(process.env.HUB_NODE_OPTIONS ? { NODE_OPTIONS: process.env.HUB_NODE_OPTIONS } : {}),
  };
  delete process.env.DATABASE_URL;
  Object.assign(process.env, env);
  return env;
}

interface HubRun {
  plays: number;
  seconds: number;
  cpuSeconds: number;
  /** The hub's CPU by thread (main = the event loop; on SQLite the largest other is the writer thread). */
  threads: string;
  clientCpuSeconds: number;
  latenciesMs: number[];
}

async function hubRun(
  sodium: Sodium,
  kind: DatabaseKind,
  seeded: Seeded,
  env: Record<string, string>,
): Promise<HubRun> {
  const hub = await startHubProcess(env);
  try {
    const clock = { now: () => Date.now() };
    const url = `${hub.baseUrl}/appliance/v1/plays`;
    const send = async (appliance: BenchAppliance, body: Buffer) => {
      const headers = {
        ...signRequest(
          { method: 'POST', url, body },
          { sodium, keyId: appliance.id, secretKey: appliance.keys.signing.secretKey, clock },
        ),
        'content-type': 'application/json',
      };
      const started = performance.now();
      const response = await post(url, headers, body);
      const text = response.text;
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`hub answered ${response.status}: ${text.slice(0, 300)}`);
      const answer = JSON.parse(text) as { accepted: number; flagged: unknown[]; conflicts: unknown[] };
      return { answer, ms };
    };
    // Warm-up (not counted): the first batch of the first appliance, then its resubmission (all duplicates).
    const warm = await send(seeded.appliances[0], seeded.appliances[0].bodies[0]);
    if (warm.answer.accepted !== BATCH || warm.answer.flagged.length !== 0) {
      throw new Error(`warm-up batch: ${JSON.stringify(warm.answer).slice(0, 300)}`);
    }
    const pid = hub.child.pid as number;
    const cpuBefore = cpuSecondsOf(pid);
    const threadsBefore = threadCpuSeconds(pid);
    const clientBefore = process.cpuUsage();
    const latenciesMs: number[] = [];
    const t0 = performance.now();
    let accepted = 0;
    await Promise.all(
      seeded.appliances.map(async (appliance, i) => {
        for (let b = i === 0 ? 1 : 0; b < appliance.bodies.length; b += 1) {
          const { answer, ms } = await send(appliance, appliance.bodies[b]);
          if (answer.accepted !== BATCH) throw new Error(`batch not fully accepted: ${JSON.stringify(answer)}`);
          accepted += answer.accepted;
          latenciesMs.push(ms);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpuSeconds = cpuSecondsOf(pid) - cpuBefore;
    const threads = threadCpuSummary(pid, threadsBefore, threadCpuSeconds(pid));
    const client = process.cpuUsage(clientBefore);
    const clientCpuSeconds = (client.user + client.system) / 1e6;
    const stored = await countPlays(kind, env);
    const expected = APPLIANCES * BATCHES * BATCH;
    if (stored !== expected) throw new Error(`stored ${stored} plays, expected ${expected}`);
    return { plays: accepted, seconds, cpuSeconds, threads, clientCpuSeconds, latenciesMs };
  } finally {
    await stopHubProcess(hub);
  }
}

const keepAlive = new http.Agent({ keepAlive: true });

/**
 * One POST over a keep-alive node:http connection. Not fetch: undici's fetch cost this client about 7 ms of CPU per
 * 174 kB batch (1.0-1.1 s per 160 batches, against 0.3-0.4 s this way), CPU the hub's threads then did not get on a
 * 2-core machine.
 */
function post(url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent: keepAlive, headers: { ...headers, 'content-length': String(body.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function countPlays(kind: DatabaseKind, env: Record<string, string>): Promise<number> {
  if (kind === 'sqlite') {
    const db = new Database(path.join(env.ROOMTONE_DATA_DIR, 'roomtone.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM plays').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM plays')).rows[0].n);
  } finally {
    await client.end();
  }
}

/** The row the hub stores for a clean play (catalogue snapshot, venue time zone), in PLAY_COLUMNS order. */
function rowOf(
  dialect: Dialect,
  appliance: BenchAppliance,
  venueId: string,
  record: PlayRecord,
  title: string,
  batchId: string,
  nowMs: number,
): unknown[] {
  const startMs = Date.parse(record.startedAt);
  const row: unknown[] = [
    appliance.id,
    record.playId,
    record.sequence,
    appliance.zoneId,
    venueId,
    record.trackId,
    'DEA012600001',
    title,
    'Bench Artist',
    'Bench Album',
    'Bench Records',
    startMs,
    startMs + Math.round(record.secondsAudible * 1000),
    record.secondsAudible,
    'Europe/Berlin',
    record.blockId,
    record.rule,
    record.programmeId,
    record.planId,
    record.source,
    record.quality,
    dialect === 'postgres' ? record.offline : record.offline ? 1 : 0,
    record.ended,
    record.prevHash,
    record.hash,
    '',
    nowMs,
    batchId,
  ];
  if (row.length !== PLAY_COLUMNS.length) throw new Error('row shape differs from PLAY_COLUMNS');
  return row;
}

/** The raw driver's ceiling: the same rows, the hub's INSERT statement, one transaction per 500, same durability. */
async function ceiling(
  kind: DatabaseKind,
  seeded: Seeded,
  env: Record<string, string>,
): Promise<{ rate: number; cpuSeconds: number | null }> {
  const dialect: Dialect = kind;
  const titles = new Map(seeded.tracks.map((t) => [t.id, t.title]));
  const nowMs = Date.now();
  const batchesOf = (a: BenchAppliance) =>
    a.batches.map((plays, b) =>
      plays
        .map((r) =>
          rowOf(
            dialect,
            a,
            seeded.venueId,
            r,
            titles.get(r.trackId) ?? '',
            `0193c000-0000-4000-8000-${String(b).padStart(12, '0')}`,
            nowMs,
          ),
        )
        .flat(),
    );
  const sql = insertPlaysSql(dialect, BATCH);
  if (kind === 'sqlite') {
    const db = new Database(path.join(env.ROOMTONE_DATA_DIR, 'roomtone.sqlite'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      const insert = db.prepare(sql);
      const all = seeded.appliances.map(batchesOf);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      // One writer: batches interleaved across appliances as concurrent requests would arrive.
      for (let b = 0; b < BATCHES; b += 1) {
        for (const batches of all) {
          n += db.transaction(() => insert.all(...batches[b]).length).immediate();
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      if (n !== APPLIANCES * BATCHES * BATCH) throw new Error(`ceiling inserted ${n}`);
      return { rate: n / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
    } finally {
      db.close();
    }
  }
  const clients = await Promise.all(
    seeded.appliances.map(async () => {
      const c = new Client({ connectionString: env.DATABASE_URL });
      await c.connect();
      return c;
    }),
  );
  try {
    const all = seeded.appliances.map(batchesOf);
    const t0 = performance.now();
    const counts = await Promise.all(
      clients.map(async (client, i) => {
        let n = 0;
        for (const params of all[i]) {
          await client.query('BEGIN');
          n += (await client.query(sql, params)).rowCount ?? 0;
          await client.query('COMMIT');
        }
        return n;
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const n = counts.reduce((s, c) => s + c, 0);
    if (n !== APPLIANCES * BATCHES * BATCH) throw new Error(`ceiling inserted ${n}`);
    // The work is in the PostgreSQL server processes: no CPU figure from here.
    return { rate: n / seconds, cpuSeconds: null };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function runKind(sodium: Sodium, kind: DatabaseKind): Promise<void> {
  const dialect: Dialect = kind;
  const hubDb = await freshDatabase(kind);
  const rawDb = await freshDatabase(kind);
  try {
    const env = useDatabase(hubDb);
    const seeded = await seed(sodium, dialect, APPLIANCES);
    console.log(
      `${kind}: seeded ${seeded.appliances.length} appliances (zones, plans) and ${seeded.tracks.length} tracks`,
    );
    const startMs = Date.now() - 40 * 86_400_000;
    seeded.appliances.forEach((a, i) => {
      const plays = chainOf(
        i + 1,
        BATCHES * BATCH,
        startMs,
        seeded.tracks.map((t) => t.id),
        seeded.planIdOf.get(a.zoneId) ?? '',
      );
      for (let b = 0; b < BATCHES; b += 1) {
        const batch = plays.slice(b * BATCH, (b + 1) * BATCH);
        a.batches.push(batch);
        a.bodies.push(Buffer.from(JSON.stringify({ plays: batch })));
      }
    });
    const run = await hubRun(sodium, kind, seeded, env);
    const hubRate = run.plays / run.seconds;
    // The ceiling writes the same rows (same appliance and zone ids) into a second database of the same kind.
    const rawEnv = useDatabase(rawDb);
    await migrateOnly();
    const { rate, cpuSeconds } = await ceiling(kind, seeded, rawEnv);
    const ratio = hubRate / rate;
    const rawPlays = APPLIANCES * BATCHES * BATCH;
    console.log(
      `${kind}: hub ${run.plays} plays in ${run.seconds.toFixed(2)} s = ${hubRate.toFixed(0)} plays/s durably accepted ` +
        `(${APPLIANCES} appliances x ${BATCHES - 0} batches of ${BATCH}, concurrent; hub CPU ${run.cpuSeconds.toFixed(1)} s = ` +
        `${(run.cpuSeconds / run.seconds).toFixed(2)} cores; request p50 ${percentile(run.latenciesMs, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(run.latenciesMs, 99).toFixed(0)} ms)`,
    );
    console.log(`${kind}: hub threads' CPU: ${run.threads}; client CPU ${run.clientCpuSeconds.toFixed(2)} s`);
    console.log(
      `${kind}: raw driver ceiling ${rate.toFixed(0)} plays/s (same rows, hub's INSERT, one transaction per ${BATCH}` +
        `${kind === 'postgres' ? `, ${APPLIANCES} connections` : ', one writer'}); hub / ceiling = ${ratio.toFixed(2)} ` +
        `(target >= 0.60: ${ratio >= 0.6 ? 'met' : 'NOT met'})` +
        (kind === 'sqlite' ? `; >= 10,000 plays/s: ${hubRate >= 10_000 ? 'met' : 'NOT met'}` : ''),
    );
    if (cpuSeconds !== null) {
      const hubPerCpu = run.plays / run.cpuSeconds;
      const rawPerCpu = rawPlays / cpuSeconds;
      console.log(
        `${kind}: per CPU-second (immune to other load): hub ${hubPerCpu.toFixed(0)} plays (everything: HTTP, JSON, ` +
          `signature, checks, SQL), raw driver ${rawPerCpu.toFixed(0)} plays (SQL only); ratio ${(hubPerCpu / rawPerCpu).toFixed(2)}`,
      );
    }
    console.log(
      `after ${kind}: load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await hubDb.drop();
    await rawDb.drop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.resolve(__dirname, '../../hub/dist/main.js'))) throw new Error('run `npm run build` first');
  const sodium = await loadSodium();
  const kinds: DatabaseKind[] = process.env.ROOMTONE_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  console.log(
    `intake bench: ${APPLIANCES} appliances x ${BATCHES} batches x ${BATCH} plays on ${kinds.join(', ')}; ${cpus().length} CPUs; sodium ${sodium.name}`,
  );
  if (kinds.length === 1) console.log('PostgreSQL skipped: run `. test/support/start-postgres.sh` first');
  console.log(`before: ${uptime()}`);
  for (const kind of kinds) await runKind(sodium, kind);
  console.log(`after: ${uptime()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
