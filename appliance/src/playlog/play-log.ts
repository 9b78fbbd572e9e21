import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { PlayRecord } from '@roomtone/provisioning';
import type { PlayLogPort, PlayStart } from '../daemon/ports';
import { GENESIS_HASH, playHash } from './play-hash';

/** The play log's file inside the data directory. */
export const PLAY_LOG_FILE = 'playlog.sqlite';

interface Row {
  sequence: number;
  start_json: string;
  seconds_audible: number;
  ended: PlayRecord['ended'] | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * The appliance's durable play log (SQLite, WAL, synchronous=FULL: every transaction is on disk when it returns).
 *
 * - `begin` appends the play with the next sequence number before any audio plays.
 * - `progress` records audible seconds (one small UPDATE; a crash loses at most the time since the last call).
 * - `end` closes it. Hashes are assigned in sequence order: when play k and every lower play are closed, play k
 *   gets `prevHash` = hash of play k-1 (64 zeros for play 1) and `hash` = SHA-256 of its canonical record
 *   (play-hash.ts). A play is pending (uploadable) once hashed; a play that ends before an earlier overlapping one
 *   (a crossfade) waits for it, so the uploaded chain is always in sequence order.
 * - Opening the log after a crash closes every play left open as `interrupted` with its last recorded audible time.
 * - `acknowledge(storedThrough)` deletes rows up to the hub's answer, and only then.
 */
export class SqlitePlayLog implements PlayLogPort {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS plays (
        sequence INTEGER PRIMARY KEY,
        play_id TEXT NOT NULL UNIQUE,
        start_json TEXT NOT NULL,
        seconds_audible REAL NOT NULL DEFAULT 0,
        ended TEXT,
        prev_hash TEXT,
        hash TEXT
      );
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.recover();
  }

  begin(play: PlayStart): number {
    return this.db.transaction(() => {
      const sequence = this.metaNumber('last_sequence') + 1;
      this.db
        .prepare('INSERT INTO plays (sequence, play_id, start_json) VALUES (?, ?, ?)')
        .run(sequence, play.playId, JSON.stringify(startOf(play)));
      this.setMeta('last_sequence', String(sequence));
      return sequence;
    })();
  }

  progress(sequence: number, secondsAudible: number): void {
    this.db
      .prepare('UPDATE plays SET seconds_audible = ? WHERE sequence = ? AND ended IS NULL')
      .run(roundSeconds(secondsAudible), sequence);
  }

  end(sequence: number, secondsAudible: number, ended: 'completed' | 'stopped'): void {
    this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE plays SET seconds_audible = ?, ended = ? WHERE sequence = ? AND ended IS NULL')
        .run(roundSeconds(secondsAudible), ended, sequence).changes;
      if (changed === 0) {
        // Closed already (or closed, uploaded and deleted): ending twice changes nothing. Never begun: a bug.
        if (sequence >= 1 && sequence <= this.metaNumber('last_sequence')) return;
        throw new Error(`play ${sequence} was never begun in the play log`);
      }
      this.chain();
    })();
  }

  stats(): { pending: number; lastSequence: number } {
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM plays WHERE hash IS NOT NULL').get() as { n: number };
    return { pending: n, lastSequence: this.metaNumber('last_sequence') };
  }

  /** The oldest closed, hashed plays not yet acknowledged, in sequence order (at most `limit`). */
  pending(limit: number): PlayRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM plays WHERE hash IS NOT NULL ORDER BY sequence LIMIT ?')
      .all(limit) as Row[];
    return rows.map((row) => recordOf(row));
  }

  /** The hub stored every play up to `storedThrough`: delete them (never an open or unhashed one). */
  acknowledge(storedThrough: number): number {
    return this.db.prepare('DELETE FROM plays WHERE sequence <= ? AND hash IS NOT NULL').run(storedThrough).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** After a crash: close plays left open as interrupted, with the audible time last recorded. */
  private recover(): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE plays SET ended = 'interrupted' WHERE ended IS NULL").run();
      this.chain();
    })();
  }

  /** Hashes closed plays in sequence order, as far as the first still-open one. */
  private chain(): void {
    const rows = this.db.prepare('SELECT * FROM plays WHERE hash IS NULL ORDER BY sequence').all() as Row[];
    let prev = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('last_hash') as
      { value: string } | undefined;
    let prevHash = prev?.value ?? GENESIS_HASH;
    const update = this.db.prepare('UPDATE plays SET prev_hash = ?, hash = ? WHERE sequence = ?');
    for (const row of rows) {
      if (row.ended === null) break;
      const record = recordOf({ ...row, prev_hash: prevHash, hash: null });
      const hash = playHash(record);
      update.run(prevHash, hash, row.sequence);
      prevHash = hash;
      prev = { value: hash };
    }
    if (prev) this.setMeta('last_hash', prev.value);
  }

  private metaNumber(key: string): number {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }

  private setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}

/** Audible time to the millisecond, so the hashed value is the stored value exactly. */
function roundSeconds(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) return 0;
  return Math.round(seconds * 1000) / 1000;
}

/** The fields `begin` stored (PlayStart's index signature hides them from Omit). */
interface StoredStart {
  playId: string;
  trackId: string;
  planId: string | null;
  programmeId: string | null;
  blockId: string | null;
  rule: string | null;
  startedAt: string;
  source: PlayRecord['source'];
  quality: PlayRecord['quality'];
  offline: boolean;
}

function recordOf(row: Row): PlayRecord {
  const start = JSON.parse(row.start_json) as StoredStart;
  return {
    playId: start.playId,
    sequence: row.sequence,
    prevHash: row.prev_hash ?? GENESIS_HASH,
    hash: row.hash ?? '',
    trackId: start.trackId,
    planId: start.planId,
    programmeId: start.programmeId,
    blockId: start.blockId,
    rule: start.rule,
    startedAt: start.startedAt,
    secondsAudible: row.seconds_audible,
    source: start.source,
    quality: start.quality,
    offline: start.offline,
    ended: row.ended ?? 'interrupted',
  };
}

/** Only the contract's fields are stored (and so hashed); anything else a caller passed is dropped. */
function startOf(play: PlayStart): StoredStart {
  const p = play;
  return {
    playId: p.playId,
    trackId: p.trackId,
    planId: p.planId ?? null,
    programmeId: p.programmeId ?? null,
    blockId: p.blockId ?? null,
    rule: p.rule ?? null,
    startedAt: p.startedAt,
    source: p.source,
    quality: p.quality,
    offline: p.offline === true,
  };
}
