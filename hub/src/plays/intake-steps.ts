import type { PlayBatchResult, PlayFlag, PlayRecord } from '@roomtone/provisioning';
import { advanceSequences, type SequenceRange, type SequenceState } from './gaps';
import { flagsOf, OVERLAP_TOLERANCE_MS, overlapping, type ZoneInterval } from './flags';
import { MAX_SECONDS_AUDIBLE } from './limits';

export type Dialect = 'sqlite' | 'postgres';

/** One SQL statement for a runner to execute; `rows`: it returns rows (SELECT, RETURNING). */
export interface Query {
  sql: string;
  params: unknown[];
  rows: boolean;
}

/** A play refused because the appliance already sent other content under its play id or its sequence number. */
export interface PlayConflict {
  playId: string;
  sequence: number;
  reason: string;
}

export interface IntakeInput {
  applianceId: string;
  venueId: string;
  zoneId: string | null;
  plays: readonly PlayRecord[];
  /** Per play, from PlanTracks (looked up before the transaction). */
  inPlan: readonly (boolean | null)[];
  /**
   * Per play, whether its hash is its content's (flags.playHash), computed before the transaction so the hashing
   * stays off the SQLite writer thread; absent: computed during intake.
   */
  hashMatches?: readonly boolean[];
  batch: { id: string; digest: string; signatureInput: string; signature: string };
  nowMs: number;
}

export type IntakeOutcome = PlayBatchResult & { conflicts: PlayConflict[] };

/** Bound parameters per statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766), PostgreSQL's protocol limit. */
const MAX_PARAMS: Record<Dialect, number> = { sqlite: 32_766, postgres: 65_535 };

export const PLAY_COLUMNS = [
  'appliance_id',
  'play_id',
  'sequence',
  'zone_id',
  'venue_id',
  'track_id',
  'isrc',
  'title',
  'artist',
  'album',
  'label',
  'started_at',
  'ends_at',
  'seconds_audible',
  'time_zone',
  'block_id',
  'rule',
  'programme_id',
  'plan_id',
  'source',
  'quality',
  'offline',
  'ended',
  'prev_hash',
  'hash',
  'flags',
  'received_at',
  'batch_id',
] as const;

/** Rows of a multi-row INSERT of plays per statement on this database (one statement for any batch up to 1000). */
export function playsPerStatement(dialect: Dialect): number {
  return Math.floor(MAX_PARAMS[dialect] / PLAY_COLUMNS.length);
}

/** Placeholders `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `width` values. */
export function placeholders(dialect: Dialect, rows: number, width: number, offset = 0): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r += 1) {
    const cells: string[] = [];
    for (let c = 0; c < width; c += 1) cells.push(dialect === 'sqlite' ? '?' : `$${offset + r * width + c + 1}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}

/** SQL texts built once per shape (dialect and row count): the same string object each time, so a runner's
 * statement cache finds it without hashing and comparing tens of kilobytes per batch. */
const sqlCache = new Map<string, string>();
function cachedSql(key: string, build: () => string): string {
  let sql = sqlCache.get(key);
  if (sql === undefined) {
    if (sqlCache.size >= 256) sqlCache.clear();
    sql = build();
    sqlCache.set(key, sql);
  }
  return sql;
}

/** The multi-row INSERT of plays, idempotent under both unique keys; returns the rows it inserted. */
export function insertPlaysSql(dialect: Dialect, rows: number): string {
  return cachedSql(
    `insert:${dialect}:${rows}`,
    () =>
      `INSERT INTO plays (${PLAY_COLUMNS.join(', ')}) VALUES ${placeholders(dialect, rows, PLAY_COLUMNS.length)} ` +
      'ON CONFLICT DO NOTHING RETURNING play_id, sequence',
  );
}

const STORED_COLUMNS =
  'play_id, sequence, track_id, plan_id, programme_id, block_id, rule, started_at, seconds_audible, source, quality, ' +
  'offline, ended, prev_hash, hash';

interface StoredPlay {
  play_id: string;
  sequence: number | string;
  track_id: string;
  plan_id: string | null;
  programme_id: string | null;
  block_id: string | null;
  rule: string | null;
  started_at: number | string;
  seconds_audible: number;
  source: string;
  quality: string;
  offline: boolean | number;
  ended: string;
  prev_hash: string;
  hash: string;
}

interface TrackRow {
  id: string;
  duration_ms: number | string;
  isrc: string | null;
  title: string | null;
  artist: string | null;
  album: string | null;
  label: string | null;
}

/** True when a stored play is exactly the record (the resubmission of a play already stored). */
function sameContent(stored: StoredPlay, record: PlayRecord): boolean {
  return (
    Number(stored.sequence) === record.sequence &&
    stored.hash === record.hash &&
    stored.prev_hash === record.prevHash &&
    stored.track_id === record.trackId &&
    stored.plan_id === record.planId &&
    stored.programme_id === record.programmeId &&
    stored.block_id === record.blockId &&
    stored.rule === record.rule &&
    Number(stored.started_at) === Date.parse(record.startedAt) &&
    Number(stored.seconds_audible) === record.secondsAudible &&
    stored.source === record.source &&
    stored.quality === record.quality &&
    Boolean(stored.offline) === record.offline &&
    stored.ended === record.ended
  );
}

/**
 * Play intake as a sequence of statements, run inside ONE transaction by a runner (synchronously on SQLite, awaited
 * on PostgreSQL): lock the appliance's sequence row, classify each play (new, duplicate, conflict), read what flags
 * need in one query each (stored neighbours, catalogue tracks), insert the new plays with one multi-row
 * INSERT ... ON CONFLICT DO NOTHING per chunk, record the batch, advance the sequence state and gaps.
 */
export function* intakeSteps(dialect: Dialect, input: IntakeInput): Generator<Query, IntakeOutcome, unknown[]> {
  const pg = dialect === 'postgres';
  const p = (i: number) => (pg ? `$${i}` : '?');
  const bool = (b: boolean) => (pg ? b : b ? 1 : 0);
  const { applianceId, plays, nowMs } = input;

  // 1. The appliance's sequence row, created or locked in one statement (an upsert takes the row lock on PostgreSQL;
  // SQLite's write lock is already held): concurrent batches of one appliance (two requests, two hubs) queue here.
  const [state] = (yield {
    sql:
      `INSERT INTO play_sequences (appliance_id, stored_through, max_sequence, updated_at) VALUES (${p(1)}, 0, 0, ${p(2)}) ` +
      'ON CONFLICT (appliance_id) DO UPDATE SET stored_through = play_sequences.stored_through ' +
      'RETURNING stored_through, max_sequence',
    params: [applianceId, nowMs],
    rows: true,
  }) as { stored_through: number | string; max_sequence: number | string }[];
  const gapRows = (yield {
    sql: `SELECT from_sequence, to_sequence, recorded_at FROM play_gaps WHERE appliance_id = ${p(1)} ORDER BY from_sequence`,
    params: [applianceId],
    rows: true,
  }) as { from_sequence: number | string; to_sequence: number | string; recorded_at: number | string }[];
  const before: SequenceState = {
    storedThrough: Number(state.stored_through),
    maxSequence: Number(state.max_sequence),
    gaps: gapRows.map((g) => ({ from: Number(g.from_sequence), to: Number(g.to_sequence) })),
  };

  // 2. What is already stored under these play ids or sequences (and the play before the first, for the chain).
  const sequences = plays.map((r) => r.sequence);
  const minSequence = Math.min(...sequences, Number.MAX_SAFE_INTEGER);
  const maxSequence = Math.max(...sequences, 0);
  const stored =
    plays.length === 0
      ? []
      : ((yield {
          // Two indexed lookups (UNION, one round trip): an OR of both would make SQLite scan every play of the
          // appliance through (appliance_id) alone.
          sql: cachedSql(
            `stored:${dialect}:${plays.length}`,
            () =>
              `SELECT ${STORED_COLUMNS} FROM plays WHERE appliance_id = ${p(1)} AND sequence BETWEEN ${p(2)} AND ${p(3)} ` +
              `UNION SELECT ${STORED_COLUMNS} FROM plays WHERE appliance_id = ${p(4)} AND play_id IN (${plays.map((_r, i) => p(i + 5)).join(', ')})`,
          ),
          params: [applianceId, minSequence - 1, maxSequence, applianceId, ...plays.map((r) => r.playId)],
          rows: true,
        }) as StoredPlay[]);
  const byId = new Map(stored.map((s) => [s.play_id, s]));
  const bySequence = new Map(stored.map((s) => [Number(s.sequence), s]));
  const conflicts: PlayConflict[] = [];
  const fresh: { record: PlayRecord; index: number }[] = [];
  let duplicates = 0;
  plays.forEach((record, index) => {
    const sameId = byId.get(record.playId);
    if (sameId !== undefined) {
      if (sameContent(sameId, record)) duplicates += 1;
      else {
        conflicts.push({
          playId: record.playId,
          sequence: record.sequence,
          reason: `play ${record.playId} is already stored (sequence ${Number(sameId.sequence)}) with different content; the stored play stands`,
        });
      }
      return;
    }
    const sameSequence = bySequence.get(record.sequence);
    if (sameSequence !== undefined) {
      conflicts.push({
        playId: record.playId,
        sequence: record.sequence,
        reason: `sequence ${record.sequence} is already stored as play ${sameSequence.play_id}; the stored play stands`,
      });
      return;
    }
    fresh.push({ record, index });
  });

  // 3. Catalogue snapshots and the zone's neighbouring plays, one query each.
  const trackIds = [...new Set(fresh.map((f) => f.record.trackId))];
  // One round trip for both (UNION ALL: the venue's row is the one without a track id).
  const tracks = new Map<string, TrackRow>();
  let timeZone = 'UTC';
  if (trackIds.length > 0) {
    const rows = (yield {
      sql: cachedSql(
        `tracks:${dialect}:${trackIds.length}`,
        () =>
          `SELECT id, duration_ms, isrc, title, artist, album, label, NULL AS time_zone FROM tracks WHERE id IN (${trackIds.map((_t, i) => p(i + 1)).join(', ')}) ` +
          `UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, time_zone FROM venues WHERE id = ${p(trackIds.length + 1)}`,
      ),
      params: [...trackIds, input.venueId],
      rows: true,
    }) as (Omit<TrackRow, 'id'> & { id: string | null; time_zone: string | null })[];
    for (const row of rows) {
      if (row.id === null) timeZone = row.time_zone ?? 'UTC';
      else tracks.set(row.id, row as TrackRow);
    }
  }
  const spans = fresh.map((f) => {
    const startMs = Date.parse(f.record.startedAt);
    return { startMs, endMs: startMs + Math.round(f.record.secondsAudible * 1000) };
  });
  const intervals: ZoneInterval[] = fresh.map((f, i) => ({ key: f.record.playId, ...spans[i], isNew: true }));
  if (input.zoneId !== null && fresh.length > 0) {
    let firstStart = Number.MAX_SAFE_INTEGER;
    let until = 0;
    for (const s of spans) {
      if (s.startMs < firstStart) firstStart = s.startMs;
      if (s.endMs > until) until = s.endMs;
    }
    // Only stored plays ending more than the tolerance after the earliest new start can overlap a new play by more
    // than it (overlap = min(ends) - max(starts) <= stored end - earliest new start): the others are not read.
    const neighbours = (yield {
      sql: `SELECT play_id, started_at, ends_at FROM plays WHERE zone_id = ${p(1)} AND started_at >= ${p(2)} AND started_at < ${p(3)} AND ends_at > ${p(4)}`,
      params: [input.zoneId, firstStart - MAX_SECONDS_AUDIBLE * 1000, until, firstStart + OVERLAP_TOLERANCE_MS],
      rows: true,
    }) as { play_id: string; started_at: number | string; ends_at: number | string }[];
    for (const n of neighbours) {
      intervals.push({
        key: `stored:${n.play_id}`,
        startMs: Number(n.started_at),
        endMs: Number(n.ends_at),
        isNew: false,
      });
    }
  }
  const overlaps = overlapping(intervals);

  // 4. Flags in memory; the chain is checked against the previous sequence, in this batch or stored.
  const hashBySequence = new Map<number, string>();
  for (const s of stored) hashBySequence.set(Number(s.sequence), s.hash);
  for (const f of fresh) hashBySequence.set(f.record.sequence, f.record.hash);
  const flagged: { playId: string; flags: PlayFlag[] }[] = [];
  // The INSERT parameters are written straight into one flat array per statement (no per-play row arrays).
  const chunk = playsPerStatement(dialect);
  const chunks: unknown[][] = [];
  fresh.forEach((f, i) => {
    const { record } = f;
    const track = tracks.get(record.trackId);
    const flags = flagsOf(
      {
        record,
        startMs: spans[i].startMs,
        durationMs: track === undefined ? null : Number(track.duration_ms),
        previousHash: hashBySequence.get(record.sequence - 1) ?? null,
        inPlan: input.inPlan[f.index] ?? null,
        overlaps: overlaps.has(record.playId),
        hashMatches: input.hashMatches?.[f.index],
      },
      nowMs,
    );
    if (flags.length > 0) flagged.push({ playId: record.playId, flags });
    if (i % chunk === 0) chunks.push([]);
    chunks[chunks.length - 1].push(
      applianceId,
      record.playId,
      record.sequence,
      input.zoneId,
      input.venueId,
      record.trackId,
      track?.isrc ?? null,
      track?.title ?? null,
      track?.artist ?? null,
      track?.album ?? null,
      track?.label ?? null,
      spans[i].startMs,
      spans[i].endMs,
      record.secondsAudible,
      timeZone,
      record.blockId,
      record.rule,
      record.programmeId,
      record.planId,
      record.source,
      record.quality,
      bool(record.offline),
      record.ended,
      record.prevHash,
      record.hash,
      flags.join(','),
      nowMs,
      input.batch.id,
    );
  });

  // 5. Insert; count what the database says it inserted (ON CONFLICT DO NOTHING skips what a racer stored).
  const inserted: number[] = [];
  for (const params of chunks) {
    const sql = insertPlaysSql(dialect, params.length / PLAY_COLUMNS.length);
    const returned = (yield { sql, params, rows: true }) as {
      sequence: number | string;
    }[];
    for (const r of returned) inserted.push(Number(r.sequence));
  }
  const accepted = inserted.length;
  duplicates += fresh.length - accepted;

  yield {
    sql:
      'INSERT INTO play_batches (id, appliance_id, received_at, digest, signature_input, signature, count, accepted, duplicates, conflicts) ' +
      `VALUES ${placeholders(dialect, 1, 10)}`,
    params: [
      input.batch.id,
      applianceId,
      nowMs,
      input.batch.digest,
      input.batch.signatureInput,
      input.batch.signature,
      plays.length,
      accepted,
      duplicates,
      conflicts.length,
    ],
    rows: false,
  };

  // 6. Sequence state and gaps.
  const after = advanceSequences(before, inserted);
  if (after !== before) {
    yield {
      sql: `UPDATE play_sequences SET stored_through = ${p(1)}, max_sequence = ${p(2)}, updated_at = ${p(3)} WHERE appliance_id = ${p(4)}`,
      params: [after.storedThrough, after.maxSequence, nowMs, applianceId],
      rows: false,
    };
    if (!sameRanges(before.gaps, after.gaps)) {
      yield { sql: `DELETE FROM play_gaps WHERE appliance_id = ${p(1)}`, params: [applianceId], rows: false };
      // A gap that shrank or split keeps the instant its hole was first seen.
      const recordedAt = (g: SequenceRange): number =>
        Number(
          gapRows.find((old) => Number(old.from_sequence) <= g.from && g.to <= Number(old.to_sequence))?.recorded_at ??
            nowMs,
        );
      const gapChunk = Math.floor(MAX_PARAMS[dialect] / 4);
      for (let at = 0; at < after.gaps.length; at += gapChunk) {
        const rows = after.gaps.slice(at, at + gapChunk);
        yield {
          sql: `INSERT INTO play_gaps (appliance_id, from_sequence, to_sequence, recorded_at) VALUES ${placeholders(dialect, rows.length, 4)}`,
          params: rows.flatMap((g) => [applianceId, g.from, g.to, recordedAt(g)]),
          rows: false,
        };
      }
    }
  }
  return { accepted, duplicates, flagged, gaps: after.gaps, storedThrough: after.storedThrough, conflicts };
}

function sameRanges(a: readonly SequenceRange[], b: readonly SequenceRange[]): boolean {
  return a.length === b.length && a.every((r, i) => r.from === b[i].from && r.to === b[i].to);
}
