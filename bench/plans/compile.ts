// Plan compilation benchmark: compile + sign + store the plans of 10,000 zones on SQLite through the hub's real
// PlansService (schedules expanded with a shared rule cache, programmes resolved by ProgrammeResolver, licences,
// catalogue facts, format 2: small signed per-zone envelopes referencing shared content-addressed bodies, Ed25519
// signatures, one write transaction per 2,000 zones), beside references measured in the same run: the bare `expand`
// of every zone's schedule (what the schedules engine alone costs) and canonicalising + signing 1,000 of the same
// plans assembled whole (what format 1 signed per zone). Then the same compile again with unchanged inputs (every
// zone keeps its plan).
// Workload: 2,500 venues x 4 zones in 10 IANA zones, 20 schedule templates naming 3 of 50 programmes each,
// 50 programmes x 200 tracks, one licence per venue, horizon 14 days.
// Run: node bench/run.js bench/plans/compile.ts [zones=10000] [tracksPerProgramme=200]
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { cachedDeps, defaultDeps, expand, parseScheduleJson } from '@roomtone/schedules';
import { DataSource } from 'typeorm';
import { PlansService } from '../../hub/src/plans';
import { DocumentSigner } from '../../hub/src/trust';
import { hubContext, insertRows, measure, uuid } from '../support/hub-context';

const ZONE_COUNT = Number(process.argv[2] ?? 10_000);
const TRACKS_PER_PROGRAMME = Number(process.argv[3] ?? 200);
const PROGRAMMES = 50;
const TEMPLATES = 20;
const ZONES_PER_VENUE = 4;
const TIME_ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'Europe/Paris',
  'Europe/Helsinki',
  'Europe/Lisbon',
  'Europe/Madrid',
  'America/New_York',
  'America/Los_Angeles',
  'Australia/Sydney',
  'Asia/Kolkata',
];

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** Schedule template `t`: weekday day block, a lunch cron, evenings, a weekend layer; 3 programmes. */
function template(t: number, zone: string, programmeIds: string[]): string {
  const [a, b, c] = [0, 1, 2].map((k) => programmeIds[(t * 3 + k) % programmeIds.length]);
  const open = 7 + (t % 3);
  return JSON.stringify({
    version: 1,
    zone,
    blocks: [
      {
        id: 'weekday-day',
        rule: { rrule: `DTSTART:20260105T0${open}0000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR` },
        end: '18:00',
        programme: a,
        volume: 55,
      },
      {
        id: 'lunch',
        rule: { cron: `${(t * 5) % 30} 12 * * 1-5` },
        duration: 'PT90M',
        programme: b,
        volume: 65,
        priority: 10,
        start: { mode: 'soft', maxLatenessSeconds: 120 },
      },
      {
        id: 'evening',
        rule: { rrule: 'DTSTART:20260101T180000\nRRULE:FREQ=DAILY' },
        end: t % 2 === 0 ? '23:00' : '02:00',
        programme: c,
        volume: 40,
        start: 'soft',
      },
      {
        id: 'weekend',
        rule: { rrule: 'DTSTART:20260103T100000\nRRULE:FREQ=WEEKLY;BYDAY=SA,SU' },
        end: '18:00',
        programme: b,
        volume: 50,
      },
    ],
    overrides: [{ id: 'christmas', from: '2026-12-25', to: '2026-12-26', action: 'closed' }],
  });
}

async function main(): Promise<void> {
  const hub = await hubContext('plans');
  const app = hub.app;
  const ds = app.get(DataSource);
  const plans = app.get(PlansService);
  const signer = app.get(DocumentSigner);
  const now = new Date().toISOString();

  // Seed.
  const seed = await measure(async () => {
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
    const venueCount = Math.ceil(ZONE_COUNT / ZONES_PER_VENUE);
    const venues = Array.from({ length: venueCount }, (_, i) => [
      uuid(2, i),
      business,
      `Venue ${i}`,
      TIME_ZONES[i % TIME_ZONES.length],
      now,
      now,
    ]);
    await insertRows(ds, 'venues', ['id', 'organisation_id', 'name', 'time_zone', 'created_at', 'updated_at'], venues);
    const zones = Array.from({ length: ZONE_COUNT }, (_, i) => [
      uuid(3, i),
      uuid(2, Math.floor(i / ZONES_PER_VENUE)),
      `Zone ${i % ZONES_PER_VENUE}`,
      now,
      now,
    ]);
    await insertRows(ds, 'zones', ['id', 'venue_id', 'name', 'created_at', 'updated_at'], zones);
    const trackCount = PROGRAMMES * TRACKS_PER_PROGRAMME;
    const tracks = Array.from({ length: trackCount }, (_, i) => [
      uuid(4, i),
      label,
      'ready',
      createHash('sha256').update(`master ${i}`).digest('hex'),
      `Track ${i}`,
      `Artist ${i % 700}`,
      `Album ${i % 900}`,
      'Bench Records',
      `GBABC26${String(i).padStart(5, '0')}`,
      180_000 + (i % 120) * 1000,
      'mp3',
      8_000_000,
      320,
      -14 - (i % 5) / 10,
      -1.1,
      120,
      179_000,
      7_200_000 + i,
      createHash('sha256').update(`delivery ${i}`).digest('hex'),
      300_000,
      1,
      0,
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
        'album',
        'label',
        'isrc',
        'duration_ms',
        'master_format',
        'master_size_bytes',
        'master_bitrate',
        'loudness_lufs',
        'true_peak_dbtp',
        'cue_in_ms',
        'cue_out_ms',
        'delivery_size_bytes',
        'delivery_sha256',
        'preview_size_bytes',
        'rendition_version',
        'explicit',
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
        'repeat_window_minutes',
        'artist_separation_minutes',
        'crossfade_ms',
        'version',
        'created_at',
        'updated_at',
      ],
      programmeIds.map((id, p) => [
        id,
        business,
        `Programme ${p}`,
        p % 2 === 0 ? 'ordered' : 'shuffled',
        JSON.stringify(Array.from({ length: TRACKS_PER_PROGRAMME }, (_, k) => uuid(4, p * TRACKS_PER_PROGRAMME + k))),
        60,
        20,
        0,
        1,
        now,
        now,
      ]),
    );
    const heads: unknown[][] = [];
    const versions: unknown[][] = [];
    const named: unknown[][] = [];
    for (let i = 0; i < ZONE_COUNT; i++) {
      const zoneId = uuid(3, i);
      const venue = Math.floor(i / ZONES_PER_VENUE);
      const t = (i * 7) % TEMPLATES;
      const doc = template(t, TIME_ZONES[venue % TIME_ZONES.length], programmeIds);
      const ids = [...new Set((JSON.parse(doc) as { blocks: { programme: string }[] }).blocks.map((b) => b.programme))];
      heads.push([zoneId, 1, now]);
      versions.push([uuid(6, i), zoneId, 1, doc, JSON.stringify(ids), now]);
      for (const p of ids) named.push([zoneId, p]);
    }
    await insertRows(ds, 'zone_schedules', ['zone_id', 'latest_version', 'updated_at'], heads);
    await insertRows(
      ds,
      'zone_schedule_versions',
      ['id', 'zone_id', 'version', 'document', 'programme_ids', 'published_at'],
      versions,
    );
    await insertRows(ds, 'zone_schedule_programmes', ['zone_id', 'programme_id'], named);
    const until = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await insertRows(
      ds,
      'licences',
      ['id', 'venue_id', 'tier', 'valid_from', 'valid_until', 'lease_days', 'version', 'created_at', 'updated_at'],
      venues.map((v, i) => [uuid(7, i), v[0], 'full', '2026-01-01T00:00:00.000Z', until, 7, 1, now, now]),
    );
    return { versions, venueCount, trackCount };
  });
  const zoneIds = Array.from({ length: ZONE_COUNT }, (_, i) => uuid(3, i));
  const docs = seed.result.versions.map((v) => v[3] as string);

  console.log(
    `# ${fmt(ZONE_COUNT)} zones (${fmt(seed.result.venueCount)} venues, ${TIME_ZONES.length} IANA zones), ${TEMPLATES} templates x 3 of ${PROGRAMMES} programmes x ${TRACKS_PER_PROGRAMME} tracks (${fmt(seed.result.trackCount)} tracks), horizon 14 days, SQLite`,
  );
  console.log(
    `# node ${process.version}, ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; seeded in ${fmt(seed.wallMs)} ms`,
  );

  // Reference 1: the schedules engine alone, every zone's schedule parsed and expanded (shared rule cache).
  const horizonFrom = Date.now();
  const horizonUntil = horizonFrom + 14 * 86_400_000;
  const bare = await measure(() => {
    const deps = cachedDeps(defaultDeps);
    let intervals = 0;
    for (const doc of docs) intervals += expand(parseScheduleJson(doc, deps), horizonFrom, horizonUntil).length;
    return intervals;
  });

  // The measured operation: compile + sign + store every zone's plan.
  const compile = await measure(() => plans.compileZones(zoneIds, 'bench'));
  const stats = plans.lastStats!;
  const sizes = await ds.query<{ bytes: number; n: number }[]>(
    'SELECT SUM(LENGTH(document)) AS bytes, COUNT(*) AS n FROM plans',
  );
  const bodySizes = await ds.query<{ bytes: number; n: number; kind: string }[]>(
    'SELECT kind, SUM(bytes) AS bytes, COUNT(*) AS n FROM plan_bodies GROUP BY kind ORDER BY kind',
  );
  const payload = (await plans.currentPayload(zoneIds[0]))!.plan;

  // Reference 2: canonicalising + signing whole assembled plans (what format 1 signed per zone), first 1,000 zones.
  const sampleIds = zoneIds.slice(0, Math.min(1000, ZONE_COUNT));
  const payloads: never[] = [];
  for (const id of sampleIds) payloads.push((await plans.currentPayload(id))!.plan as never);
  const sign = await measure(() => {
    for (const p of payloads) JSON.stringify(signer.sign(p));
  });
  const wholeBytes = Buffer.byteLength(JSON.stringify(signer.sign(payloads[0])), 'utf8');

  // The same compile again, inputs unchanged: every zone keeps its plan (no new id, nothing stored but the check).
  const again = await measure(() => plans.compileZones(zoneIds, 'bench again'));
  const againStats = plans.lastStats!;

  const rows: string[] = [];
  const row = (...cells: string[]) => {
    rows.push(`| ${cells.join(' | ')} |`);
  };
  row('what', 'wall', 'CPU', 'per zone');
  row('---', '---', '---', '---');
  row(
    `compile + sign + store ${fmt(ZONE_COUNT)} plans`,
    `${fmt(compile.wallMs)} ms`,
    `${fmt(compile.cpuMs)} ms`,
    `${fmt((compile.wallMs * 1000) / ZONE_COUNT)} µs`,
  );
  row(
    `reference: parse + expand every schedule (${fmt(bare.result)} intervals)`,
    `${fmt(bare.wallMs)} ms`,
    `${fmt(bare.cpuMs)} ms`,
    `${fmt((bare.wallMs * 1000) / ZONE_COUNT)} µs`,
  );
  row(
    `reference: canonicalise + sign ${fmt(sampleIds.length)} of the plans whole (format 1) alone`,
    `${fmt(sign.wallMs)} ms`,
    `${fmt(sign.cpuMs)} ms`,
    `${fmt((sign.wallMs * 1000) / sampleIds.length)} µs`,
  );
  row(
    `recompile ${fmt(ZONE_COUNT)} zones, inputs unchanged (${fmt(againStats.kept)} kept)`,
    `${fmt(again.wallMs)} ms`,
    `${fmt(again.cpuMs)} ms`,
    `${fmt((again.wallMs * 1000) / ZONE_COUNT)} µs`,
  );
  for (const line of rows) console.log(line);
  console.log(
    `phases (ms): read ${stats.ms.read}, expand ${stats.ms.expand} (${stats.distinctSchedules} distinct documents), resolve ${stats.ms.resolve}, build ${stats.ms.build}, sign ${stats.ms.sign}, store ${stats.ms.store}`,
  );
  console.log(
    `plans: ${fmt(sizes[0].n)}, signed envelopes ${fmt(Number(sizes[0].bytes) / 1e6, 2)} MB (${fmt(Number(sizes[0].bytes) / sizes[0].n, 0)} B each); bodies: ${bodySizes
      .map((b) => `${fmt(Number(b.n))} ${b.kind} ${fmt(Number(b.bytes) / 1e6, 2)} MB`)
      .join(
        ', ',
      )}; zone 0 assembled: ${payload.intervals.length} intervals, ${payload.tracks.length} tracks, ${fmt(wholeBytes / 1000, 1)} kB signed whole (format 1)`,
  );
  console.log(
    `stats: ${stats.zones} zones, ${stats.kept} kept, ${stats.bodies} bodies referenced per batch (${fmt(stats.bodyBytes / 1e6, 2)} MB), envelopes ${fmt(stats.envelopeBytes / 1e6, 2)} MB`,
  );
  console.log(
    `ratio compile / bare expand: ${fmt(compile.wallMs / bare.wallMs, 1)}x; target <= 10,000 ms for 10,000 zones: ${
      compile.wallMs <= 10_000 * (ZONE_COUNT / 10_000) ? 'met' : 'NOT met'
    }`,
  );
  await hub.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
