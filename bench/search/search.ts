// Catalogue search on a seeded catalogue of N tracks (default 100,000), SQLite and (with DATABASE_URL or
// ROOMTONE_TEST_DATABASE_URL set) PostgreSQL: p50/p95 of a fixed mix of queries through CatalogSearchRepository plus
// the page fetch TracksService does, against a reference in the same process: fetching 20 tracks by primary key.
// Usage: node bench/run.js bench/search/search.ts [tracks=100000] [queries=400]
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { IngestJob } from '../../hub/src/catalog/entities/ingest-job.entity';
import { Track } from '../../hub/src/catalog/entities/track.entity';
import { TracksRepository } from '../../hub/src/catalog/repositories/tracks.repository';
import { catalogSearchRepositoryFor } from '../../hub/src/catalog/search/catalog-search.repository';
import type { CatalogVisibility, TrackSearchQuery } from '../../hub/src/catalog/search/track-search-query';
import type { DatabaseConfig } from '../../hub/src/config/app-config';
import { openDataSource, runMigrationsLocked } from '../../hub/src/database';
import { Organisation } from '../../hub/src/tenancy/entities';

const trackCount = Number(process.argv[2] ?? 100_000);
const queryCount = Number(process.argv[3] ?? 400);
const LABELS = 50;

/** Deterministic pseudo-random numbers (mulberry32), so every run searches the same catalogue the same way. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'morning glass counter service escalator waiting room waltz closing time glow lobby hours going after night shift ' +
  'velvet harbour amber neon quiet river garden summer winter autumn spring coffee rain window street corner light ' +
  'shadow golden silver blue green orange paper moon sun star ocean forest city train station north south east west ' +
  'dream echo pulse drift bloom ember frost haze lantern meadow orbit prism ripple satin tide willow zephyr atlas ' +
  'cobalt dune fable grove hollow indigo jasmine kettle lagoon marble nectar opal pebble quartz saffron tundra ' +
  'umber vapor wander yonder zenith breeze canvas dawn fern glimmer horizon island jubilee kinetic lullaby mosaic'
).split(' ');
const GENRES = [
  'Ambient',
  'Lounge',
  'Jazz',
  'Classical',
  'Electronic',
  'Pop',
  'Rock',
  'Soul',
  'Funk',
  'Folk',
  'Bossa Nova',
  'Chillout',
  'House',
  'Acoustic',
  'Latin',
  'Blues',
  'Reggae',
  'Indie',
  'Disco',
  'Swing',
];
const MOODS = [
  'calm',
  'warm',
  'upbeat',
  'gentle',
  'mellow',
  'bright',
  'dark',
  'dreamy',
  'energetic',
  'relaxed',
  'romantic',
  'playful',
  'focused',
  'sunny',
  'moody',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

function phrase(rand: () => number, words: number): string {
  return Array.from({ length: words }, () => pick(rand, WORDS))
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

async function seed(
  dataSource: DataSource,
  kind: DatabaseConfig['kind'],
): Promise<{ labelIds: string[]; ids: string[] }> {
  const rand = random(42);
  const now = new Date(Date.UTC(2026, 10, 1)).getTime();
  const labelIds = Array.from({ length: LABELS }, (_, i) => `0190b000-0000-7000-8000-${String(i).padStart(12, '0')}`);
  await dataSource.getRepository(Organisation).insert(
    labelIds.map((id, i) => ({
      id,
      kind: 'label' as const,
      name: `Label ${i}`,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    })),
  );
  const ids: string[] = [];
  const columns = [
    'id',
    'owner_organisation_id',
    'status',
    'content_sha256',
    'title',
    'artist',
    'album',
    'label',
    'year',
    'genre',
    'mood',
    'bpm',
    'explicit',
    'duration_ms',
    'master_format',
    'master_size_bytes',
    'master_bitrate',
    'created_at',
    'updated_at',
  ];
  const batch = 500;
  for (let start = 0; start < trackCount; start += batch) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(trackCount, start + batch); i++) {
      const id = `0190c000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      ids.push(id);
      const owner = Math.floor(rand() * LABELS);
      const at = new Date(now - i * 60_000).toISOString();
      rows.push([
        id,
        labelIds[owner],
        rand() < 0.95 ? 'ready' : 'ingesting',
        i.toString(16).padStart(64, '0'),
        phrase(rand, 1 + Math.floor(rand() * 3)),
        phrase(rand, 2),
        phrase(rand, 2),
        `Label ${owner}`,
        1970 + Math.floor(rand() * 56),
        pick(rand, GENRES),
        pick(rand, MOODS),
        60 + Math.floor(rand() * 120),
        kind === 'postgres' ? rand() < 0.05 : rand() < 0.05 ? 1 : 0,
        120_000 + Math.floor(rand() * 240_000),
        'flac',
        30_000_000,
        900_000,
        at,
        at,
      ]);
    }
    let n = 0;
    const placeholder = () => (kind === 'postgres' ? `$${++n}` : '?');
    const values = rows.map((r) => `(${r.map(() => placeholder()).join(', ')})`).join(', ');
    await dataSource.query(`INSERT INTO tracks (${columns.join(', ')}) VALUES ${values}`, rows.flat());
  }
  await dataSource.query(kind === 'postgres' ? 'ANALYZE' : 'ANALYZE');
  return { labelIds, ids };
}

function queries(labelIds: string[]): TrackSearchQuery[] {
  const rand = random(7);
  const manager: CatalogVisibility = { all: false, ownerIds: [], readyCatalogue: true };
  const list: TrackSearchQuery[] = [];
  for (let i = 0; i < queryCount; i++) {
    const visibility: CatalogVisibility =
      i % 5 === 4
        ? { all: false, ownerIds: [pick(rand, labelIds)], readyCatalogue: false }
        : i % 10 === 3
          ? { all: true }
          : manager;
    const base = { sort: 'title' as const, order: 'asc' as const, limit: 20, offset: 0, visibility };
    switch (i % 6) {
      case 0:
        list.push({ ...base, text: pick(rand, WORDS), sort: 'relevance' });
        break;
      case 1:
        list.push({ ...base, text: pick(rand, WORDS).slice(0, 3), sort: 'relevance' });
        break;
      case 2:
        list.push({ ...base, text: `${pick(rand, WORDS)} ${pick(rand, WORDS)}`, sort: 'relevance' });
        break;
      case 3:
        list.push({ ...base, genre: pick(rand, GENRES), bpmMin: 90, bpmMax: 130, offset: 40 });
        break;
      case 4:
        list.push({
          ...base,
          text: pick(rand, WORDS),
          mood: pick(rand, MOODS),
          durationMaxMs: 240_000,
          sort: 'created',
          order: 'desc',
        });
        break;
      default:
        list.push({ ...base, explicit: false, sort: 'duration', order: 'desc', offset: Math.floor(rand() * 10) * 20 });
    }
  }
  return list;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(database: DatabaseConfig, dataDir: string): Promise<void> {
  const dataSource = await openDataSource(database, dataDir, [Track, IngestJob, Organisation]);
  try {
    await runMigrationsLocked(dataSource, database);
    const seedStart = performance.now();
    const { labelIds, ids } = await seed(dataSource, database.kind);
    console.log(
      `${database.kind}: seeded ${trackCount} tracks in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    const search = catalogSearchRepositoryFor(dataSource);
    const tracks = new TracksRepository(dataSource);
    const mix = queries(labelIds);
    const rand = random(9);
    // Warm-up: page cache and query plans, as on a hub that has been running.
    for (const q of mix.slice(0, 30)) await tracks.findByIds((await search.search(q)).ids);
    const searchMs: number[] = [];
    const referenceMs: number[] = [];
    let matched = 0;
    for (const q of mix) {
      let started = performance.now();
      const page = await search.search(q);
      await tracks.findByIds(page.ids);
      searchMs.push(performance.now() - started);
      matched += page.total;
      const some = Array.from({ length: 20 }, () => pick(rand, ids));
      started = performance.now();
      await tracks.findByIds(some);
      referenceMs.push(performance.now() - started);
    }
    searchMs.sort((a, b) => a - b);
    referenceMs.sort((a, b) => a - b);
    const [p50, p95, max] = [percentile(searchMs, 50), percentile(searchMs, 95), searchMs[searchMs.length - 1]];
    const [r50, r95] = [percentile(referenceMs, 50), percentile(referenceMs, 95)];
    console.log(
      `${database.kind}: ${mix.length} searches (mean ${Math.round(matched / mix.length)} matches each, counted up to 1000): p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms (target p95 <= 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `${database.kind}: reference, 20 tracks by primary key: p50 ${r50.toFixed(2)} ms, p95 ${r95.toFixed(2)} ms; ratio search/reference p50 ${(p50 / r50).toFixed(1)}x, p95 ${(p95 / r95).toFixed(1)}x`,
    );
    for (const [name, pick_] of [
      ['one word, relevance', 0],
      ['3-letter prefix, relevance', 1],
      ['two words, relevance', 2],
      ['genre + BPM range, page 3', 3],
      ['word + mood + duration, newest', 4],
      ['explicit=false, longest, random page', 5],
    ] as const) {
      const times = mix
        .map((q, i) => ({ q, i }))
        .filter(({ i }) => i % 6 === pick_)
        .map(({ q }) => q);
      const sample: number[] = [];
      for (const q of times.slice(0, 40)) {
        const started = performance.now();
        await tracks.findByIds((await search.search(q)).ids);
        sample.push(performance.now() - started);
      }
      sample.sort((a, b) => a - b);
      console.log(
        `${database.kind}:   ${name.padEnd(38)} p50 ${percentile(sample, 50).toFixed(1)} ms, p95 ${percentile(sample, 95).toFixed(1)} ms`,
      );
    }
  } finally {
    await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  console.log(
    `${os.cpus().length} CPUs; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'roomtone-bench-search-'));
  try {
    await measure({ kind: 'sqlite', path: path.join(dir, 'bench.sqlite') }, dir);
    const admin = process.env.ROOMTONE_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
    if (!admin) {
      console.log('postgres: skipped (set ROOMTONE_TEST_DATABASE_URL: `. test/support/start-postgres.sh`)');
      return;
    }
    const name = `roomtone_bench_${randomBytes(4).toString('hex')}`;
    const client = new Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(admin);
      url.pathname = `/${name}`;
      await measure({ kind: 'postgres', url: url.toString() }, dir);
    } finally {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    console.log(
      `load after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
