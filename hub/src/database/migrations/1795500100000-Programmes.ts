import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { booleanDefault, migrationColumns as c } from '../columns';

/** Programmes, per-zone blocked tracks and the venue's explicit-content switch (hub/src/programmes). */
export class Programmes1795500100000 implements MigrationInterface {
  name = 'Programmes1795500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'programmes',
        columns: [
          c.id(),
          c.ref('organisation_id'),
          c.text('name', 200),
          c.text('kind', 16),
          { name: 'track_ids', type: 'text', isNullable: true },
          { name: 'rules', type: 'text', isNullable: true },
          { name: 'repeat_window_minutes', type: 'integer' },
          { name: 'artist_separation_minutes', type: 'integer' },
          { name: 'crossfade_ms', type: 'integer' },
          { name: 'version', type: 'integer' },
          c.instant('created_at'),
          c.instant('updated_at'),
        ],
        indices: [
          { name: 'UQ_programmes_organisation_name', columnNames: ['organisation_id', 'name'], isUnique: true },
        ],
        foreignKeys: [
          {
            name: 'FK_programmes_organisation',
            columnNames: ['organisation_id'],
            referencedTableName: 'organisations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'zone_blocked_tracks',
        columns: [
          { ...c.ref('zone_id'), isPrimary: true },
          { ...c.ref('track_id'), isPrimary: true },
          c.ref('blocked_by_user_id', true),
          c.instant('created_at'),
        ],
        indices: [{ name: 'IDX_zone_blocked_tracks_track', columnNames: ['track_id'] }],
        foreignKeys: [
          {
            name: 'FK_zone_blocked_tracks_zone',
            columnNames: ['zone_id'],
            referencedTableName: 'zones',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            name: 'FK_zone_blocked_tracks_track',
            columnNames: ['track_id'],
            referencedTableName: 'tracks',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await q.addColumn(
      'venues',
      new TableColumn({
        name: 'allow_explicit',
        type: 'boolean',
        default: booleanDefault(q.connection.options.type, false),
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('venues', 'allow_explicit');
    await q.dropTable('zone_blocked_tracks');
    await q.dropTable('programmes');
  }
}
