import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Sort orders the catalogue search pages through; declared on the Track entity too, so the drift test sees them. */
const SORT_INDEXES = [
  new TableIndex({ name: 'IDX_tracks_duration_id', columnNames: ['duration_ms', 'id'] }),
  new TableIndex({ name: 'IDX_tracks_created_id', columnNames: ['created_at', 'id'] }),
];

/**
 * Indexes for catalogue search filters and sorts (issue 4: PostgreSQL p95 at 100,000 tracks). Without them a sorted
 * page ("longest first", "newest first") sorted every visible track, and genre/mood filters scanned the whole table.
 * The genre/mood filters compare `lower(column)`, so PostgreSQL gets expression indexes on exactly that; they are
 * PostgreSQL-only because SQLite already meets the target and TypeORM's SQLite introspection cannot describe
 * expression indexes (the drift test would read them as column-less). PostgreSQL's introspection lists an index by
 * its plain columns only, so a pure expression index is invisible to the drift test there.
 */
export class CatalogSearchIndexes1795490000000 implements MigrationInterface {
  name = 'CatalogSearchIndexes1795490000000';

  async up(q: QueryRunner): Promise<void> {
    for (const index of SORT_INDEXES) await q.createIndex('tracks', index);
    if (q.connection.driver.options.type === 'postgres') {
      await q.query('CREATE INDEX "IDX_tracks_lower_genre" ON tracks (lower(genre))');
      await q.query('CREATE INDEX "IDX_tracks_lower_mood" ON tracks (lower(mood))');
      await q.query('ANALYZE tracks');
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.driver.options.type === 'postgres') {
      await q.query('DROP INDEX IF EXISTS "IDX_tracks_lower_mood"');
      await q.query('DROP INDEX IF EXISTS "IDX_tracks_lower_genre"');
    }
    for (const index of [...SORT_INDEXES].reverse()) await q.dropIndex('tracks', index.name!);
  }
}
