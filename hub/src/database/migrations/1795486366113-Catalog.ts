import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { booleanDefault, ID_TABLE_COLUMN, migrationColumns } from '../columns';

const { text, instant } = migrationColumns;
const nullableOf = (name: string, type: string): TableColumnOptions => ({ name, type, isNullable: true });

/** The columns full-text search covers, in both databases' search structures. */
const SEARCHED = ['title', 'artist', 'album', 'label', 'genre', 'mood'] as const;

/**
 * Tracks and ingest jobs (hub/src/catalog), plus each database's full-text index over tracks, kept in sync by
 * triggers so no code path can forget it: SQLite an external-content FTS5 table on tracks' rowid; PostgreSQL a
 * `track_search` tsvector table with a GIN index. Neither is an entity (the drift test covers entity tables only).
 * A later migration that rebuilds `tracks` on SQLite must recreate the triggers and run
 * `INSERT INTO tracks_fts(tracks_fts) VALUES('rebuild')`.
 */
export class Catalog1795486366113 implements MigrationInterface {
  name = 'Catalog1795486366113';

  async up(q: QueryRunner): Promise<void> {
    const databaseType = q.connection.options.type;
    await q.createTable(
      new Table({
        name: 'tracks',
        columns: [
          { name: 'id', ...ID_TABLE_COLUMN, isPrimary: true },
          { name: 'owner_organisation_id', ...ID_TABLE_COLUMN },
          text('status', 16),
          text('content_sha256', 64),
          text('title', 300),
          text('artist', 300, true),
          text('album', 300, true),
          text('label', 200, true),
          nullableOf('year', 'integer'),
          text('isrc', 12, true),
          text('genre', 100, true),
          text('mood', 100, true),
          nullableOf('bpm', 'real'),
          { name: 'explicit', type: 'boolean', default: booleanDefault(databaseType, false) },
          { name: 'duration_ms', type: 'integer' },
          text('master_format', 8),
          { name: 'master_size_bytes', type: 'bigint' },
          { name: 'master_bitrate', type: 'integer' },
          text('original_filename', 255, true),
          nullableOf('loudness_lufs', 'real'),
          nullableOf('true_peak_dbtp', 'real'),
          nullableOf('loudness_range_lu', 'real'),
          nullableOf('cue_in_ms', 'integer'),
          nullableOf('cue_out_ms', 'integer'),
          nullableOf('delivery_kbps', 'integer'),
          nullableOf('preview_gain_db', 'real'),
          { name: 'uploaded_by_user_id', ...ID_TABLE_COLUMN, isNullable: true },
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          { name: 'UQ_tracks_owner_sha256', columnNames: ['owner_organisation_id', 'content_sha256'], isUnique: true },
          { name: 'IDX_tracks_status_title', columnNames: ['status', 'title'] },
          { name: 'IDX_tracks_owner_title', columnNames: ['owner_organisation_id', 'title'] },
        ],
        foreignKeys: [
          {
            name: 'FK_tracks_owner_organisation',
            columnNames: ['owner_organisation_id'],
            referencedTableName: 'organisations',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'ingest_jobs',
        columns: [
          { name: 'id', ...ID_TABLE_COLUMN, isPrimary: true },
          { name: 'track_id', ...ID_TABLE_COLUMN },
          text('state', 16),
          { name: 'progress', type: 'integer', default: 0 },
          nullableOf('failure_reason', 'text'),
          { name: 'attempts', type: 'integer', default: 0 },
          instant('created_at'),
          instant('updated_at'),
          instant('finished_at', true),
        ],
        indices: [
          { name: 'IDX_ingest_jobs_state_created', columnNames: ['state', 'created_at'] },
          { name: 'IDX_ingest_jobs_track', columnNames: ['track_id'] },
        ],
        foreignKeys: [
          {
            name: 'FK_ingest_jobs_track',
            columnNames: ['track_id'],
            referencedTableName: 'tracks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    if (databaseType === 'postgres') await this.upPostgresSearch(q);
    else await this.upSqliteSearch(q);
  }

  private async upSqliteSearch(q: QueryRunner): Promise<void> {
    const columns = SEARCHED.join(', ');
    const newValues = SEARCHED.map((c) => `new.${c}`).join(', ');
    const oldValues = SEARCHED.map((c) => `old.${c}`).join(', ');
    // remove_diacritics: "Beyonce" finds "Beyoncé"; prefix indexes make type-ahead prefix queries cheap.
    await q.query(
      `CREATE VIRTUAL TABLE tracks_fts USING fts5(${columns}, content='tracks', content_rowid='rowid', ` +
        `tokenize='unicode61 remove_diacritics 2', prefix='2 3')`,
    );
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
  }

  private async upPostgresSearch(q: QueryRunner): Promise<void> {
    // 'simple': names and titles are not English prose, so no stemming or stop words; unaccent is an extension we
    // cannot assume is installed, so diacritics are matched as written.
    const document = SEARCHED.map((c) => `coalesce(NEW.${c}, '')`).join(` || ' ' || `);
    await q.query(
      `CREATE TABLE track_search (track_id varchar(36) PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE, ` +
        `document tsvector NOT NULL)`,
    );
    await q.query(`CREATE INDEX track_search_document ON track_search USING GIN (document)`);
    await q.query(
      `CREATE FUNCTION track_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
        `INSERT INTO track_search (track_id, document) VALUES (NEW.id, to_tsvector('simple', ${document})) ` +
        `ON CONFLICT (track_id) DO UPDATE SET document = EXCLUDED.document; RETURN NEW; END $$`,
    );
    await q.query(
      `CREATE TRIGGER tracks_search_sync AFTER INSERT OR UPDATE OF ${SEARCHED.join(', ')} ON tracks ` +
        `FOR EACH ROW EXECUTE FUNCTION track_search_sync()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      await q.query('DROP TABLE IF EXISTS track_search');
      await q.query('DROP TRIGGER IF EXISTS tracks_search_sync ON tracks');
      await q.query('DROP FUNCTION IF EXISTS track_search_sync()');
    } else {
      for (const trigger of ['insert', 'delete', 'update'])
        await q.query(`DROP TRIGGER IF EXISTS tracks_fts_${trigger}`);
      await q.query('DROP TABLE IF EXISTS tracks_fts');
    }
    await q.dropTable('ingest_jobs');
    await q.dropTable('tracks');
  }
}
