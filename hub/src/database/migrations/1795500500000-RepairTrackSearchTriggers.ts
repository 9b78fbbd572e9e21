import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns SQLite's tracks_fts indexes (as Catalog1795486366113 made it; frozen here). */
const SEARCHED = ['title', 'artist', 'album', 'label', 'genre', 'mood'] as const;

/**
 * SQLite only. TypeORM's addColumns on SQLite rebuilds the table (copy, drop, rename), which silently dropped the
 * tracks_fts triggers when TrackRenditionFacts1795500050000 added columns to `tracks`, so full-text search stopped
 * seeing new and edited tracks. This recreates the triggers and rebuilds the index from `tracks`. PostgreSQL's
 * addColumns is a plain ALTER TABLE; nothing to do there.
 */
export class RepairTrackSearchTriggers1795500500000 implements MigrationInterface {
  name = 'RepairTrackSearchTriggers1795500500000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    const columns = SEARCHED.join(', ');
    const newValues = SEARCHED.map((c) => `new.${c}`).join(', ');
    const oldValues = SEARCHED.map((c) => `old.${c}`).join(', ');
    for (const trigger of ['insert', 'delete', 'update']) await q.query(`DROP TRIGGER IF EXISTS tracks_fts_${trigger}`);
    await q.query(
      `CREATE TRIGGER tracks_fts_insert AFTER INSERT ON tracks BEGIN ` +
        `INSERT INTO tracks_fts(rowid, ${columns}) VALUES (new.rowid, ${newValues}); END`,
    );
    await q.query(
      `CREATE TRIGGER tracks_fts_delete AFTER DELETE ON tracks BEGIN ` +
        `INSERT INTO tracks_fts(tracks_fts, rowid, ${columns}) VALUES ('delete', old.rowid, ${oldValues}); END`,
    );
    await q.query(
      `CREATE TRIGGER tracks_fts_update AFTER UPDATE OF ${columns} ON tracks BEGIN ` +
        `INSERT INTO tracks_fts(tracks_fts, rowid, ${columns}) VALUES ('delete', old.rowid, ${oldValues}); ` +
        `INSERT INTO tracks_fts(rowid, ${columns}) VALUES (new.rowid, ${newValues}); END`,
    );
    await q.query(`INSERT INTO tracks_fts(tracks_fts) VALUES ('rebuild')`);
  }

  async down(): Promise<void> {
    // The repaired triggers are what Catalog1795486366113 defined; nothing to undo.
  }
}
