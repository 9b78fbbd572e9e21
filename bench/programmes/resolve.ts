// Programme resolution benchmark: ProgrammeResolver.resolveForZones for 10,000 zones (2,500 venues x 4) naming 3 of
// 50 programmes each (25 ordered lists of 200 tracks, 25 rules programmes of up to 500 tracks), 10,000 ready tracks
// (5% explicit), every 20th zone blocking 5 tracks, a quarter of the venues allowing explicit content; SQLite.
// Reference in the same run: the same zones resolved one call per zone (what a per-zone loop would cost), measured on
// the first 500 zones and scaled. Also counts the queries of the batched call.
// Run: node bench/run.js bench/programmes/resolve.ts [zones=10000]
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ProgrammeResolver } from '../../hub/src/programmes/programme-resolver';
import { hubContext, insertRows, measure, uuid } from '../support/hub-context';

const ZONES = Number(process.argv[2] ?? 10_000);
const PER_VENUE = 4;
const PROGRAMMES = 50;
const TRACKS = 10_000;
const GENRES = ['jazz', 'soul', 'lounge', 'ambient', 'pop'];
const MOODS = ['calm', 'warm', 'upbeat', 'gentle'];

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main(): Promise<void> {
  const hub = await hubContext('programmes');
  const app = hub.app;
  try {
    const ds = app.get(DataSource);
    const resolver = app.get(ProgrammeResolver);
    const now = new Date().toISOString();
    const business = uuid(1, 0);
    const label = uuid(1, 1);
    await insertRows(
      ds,
      'organisations',
      ['id', 'kind', 'name', 'created_at', 'updated_at'],
      [
        [business, 'business', 'Bench Cafés', now, now],
        [label, 'label', 'Bench Records', now, now],
      ],
    );
    const venueCount = Math.ceil(ZONES / PER_VENUE);
    const venues = Array.from({ length: venueCount }, (_, i) => [
      uuid(2, i),
      business,
      `Venue ${i}`,
      'Europe/Berlin',
      i % 4 === 0 ? 1 : 0,
      now,
      now,
    ]);
    await insertRows(
      ds,
      'venues',
      ['id', 'organisation_id', 'name', 'time_zone', 'allow_explicit', 'created_at', 'updated_at'],
      venues,
    );
    const zones = Array.from({ length: ZONES }, (_, i) => [
      uuid(3, i),
      uuid(2, Math.floor(i / PER_VENUE)),
      `Z${i}`,
      now,
      now,
    ]);
    await insertRows(ds, 'zones', ['id', 'venue_id', 'name', 'created_at', 'updated_at'], zones);
    const tracks = Array.from({ length: TRACKS }, (_, i) => [
      uuid(4, i),
      label,
      'ready',
      createHash('sha256').update(`master ${i}`).digest('hex'),
      `Track ${String(i).padStart(5, '0')}`,
      `Artist ${i % 700}`,
      GENRES[i % GENRES.length],
      MOODS[i % MOODS.length],
      80 + (i % 80),
      i % 20 === 0 ? 1 : 0,
      180_000,
      'mp3',
      8_000_000,
      320,
      now,
      now,
    ]);
    await insertRows(
      ds,
      'tracks',
      [
        'id',
        'owner_organisation_id',
        'status',
        'content_sha256',
        'title',
        'artist',
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
      ],
      tracks,
    );
    const programmeIds = Array.from({ length: PROGRAMMES }, (_, p) => uuid(5, p));
    await insertRows(
      ds,
      'programmes',
      [
        'id',
        'organisation_id',
        'name',
        'kind',
        'track_ids',
        'rules',
        'repeat_window_minutes',
        'artist_separation_minutes',
        'crossfade_ms',
        'version',
        'created_at',
        'updated_at',
      ],
      programmeIds.map((id, p) => {
        const rules = p % 2 === 1;
        const list = Array.from({ length: 200 }, (_, k) => uuid(4, (p * 200 + k * 7) % TRACKS));
        const filter = {
          genres: [GENRES[p % GENRES.length]],
          moods: p % 3 === 0 ? [] : [MOODS[p % MOODS.length]],
          bpmMin: 90,
          bpmMax: 140,
          allowExplicit: p % 5 === 0,
          ownerOrganisationIds: [],
          maxTracks: 500,
        };
        return [
          id,
          business,
          `Programme ${p}`,
          rules ? 'rules' : p % 4 === 0 ? 'shuffled' : 'ordered',
          rules ? null : JSON.stringify(list),
          rules ? JSON.stringify(filter) : null,
          60,
          15,
          2000,
          1,
          now,
          now,
        ];
      }),
    );
    const blocked: unknown[][] = [];
    for (let i = 0; i < ZONES; i += 20)
      for (let k = 0; k < 5; k += 1) blocked.push([uuid(3, i), uuid(4, (i * 13 + k * 101) % TRACKS), now]);
    await insertRows(ds, 'zone_blocked_tracks', ['zone_id', 'track_id', 'created_at'], blocked);

    const requests = Array.from({ length: ZONES }, (_, i) => ({
      zoneId: uuid(3, i),
      venueId: uuid(2, Math.floor(i / PER_VENUE)),
      programmeIds: [0, 1, 2].map((k) => programmeIds[(i * 3 + k * 17) % PROGRAMMES]),
    }));

    let queries = 0;
    const logQuery = ds.logger.logQuery.bind(ds.logger);
    ds.logger.logQuery = (...args) => {
      queries += 1;
      logQuery(...args);
    };
    await resolver.resolveForZones(requests.slice(0, 10)); // warm-up
    queries = 0;
    const batched = await measure(() => resolver.resolveForZones(requests));
    const batchedQueries = queries;
    const sample = Math.min(500, ZONES);
    queries = 0;
    const perZone = await measure(async () => {
      for (const r of requests.slice(0, sample)) await resolver.resolveForZones([r]);
    });
    const perZoneQueries = queries;
    const scaledMs = (perZone.wallMs / sample) * ZONES;
    const trackRefs = [...batched.result.values()].reduce((n, z) => n + z.tracks.length, 0);

    console.log(
      `zones ${fmt(ZONES)}, venues ${fmt(venueCount)}, programmes ${PROGRAMMES}, tracks ${fmt(TRACKS)}, blocked rows ${fmt(blocked.length)}`,
    );
    console.log(
      `batched resolveForZones: ${fmt(batched.wallMs)} ms wall, ${fmt(batched.cpuMs)} ms CPU, ${batchedQueries} queries, ${fmt(trackRefs)} zone-track pairs`,
    );
    console.log(
      `reference, one call per zone: ${fmt(perZone.wallMs)} ms for ${sample} zones (${perZoneQueries} queries) -> ${fmt(scaledMs)} ms scaled to ${fmt(ZONES)}`,
    );
    console.log(`ratio per-zone / batched: ${fmt(scaledMs / batched.wallMs, 1)}x`);
  } finally {
    await hub.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
