import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrationColumns as c } from '../columns';

const zoneFk = (table: string) => ({
  name: `FK_${table}_zone`,
  columnNames: ['zone_id'],
  referencedTableName: 'zones',
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
});

/** Zone schedules (drafts, published versions) and compiled plans (hub/src/zone-schedules, hub/src/plans). */
export class ZoneSchedulesAndPlans1795500200000 implements MigrationInterface {
  name = 'ZoneSchedulesAndPlans1795500200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'zone_schedules',
        columns: [
          { ...c.ref('zone_id'), isPrimary: true },
          { name: 'draft', type: 'text', isNullable: true },
          c.instant('draft_updated_at', true),
          c.ref('draft_updated_by_user_id', true),
          { name: 'latest_version', type: 'integer', default: 0 },
          c.instant('updated_at'),
        ],
        foreignKeys: [zoneFk('zone_schedules')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'zone_schedule_versions',
        columns: [
          c.id(),
          c.ref('zone_id'),
          { name: 'version', type: 'integer' },
          { name: 'document', type: 'text' },
          { name: 'programme_ids', type: 'text' },
          c.instant('published_at'),
          c.ref('published_by_user_id', true),
          c.ref('plan_id', true),
        ],
        indices: [
          { name: 'UQ_zone_schedule_versions_zone_version', columnNames: ['zone_id', 'version'], isUnique: true },
        ],
        foreignKeys: [zoneFk('zone_schedule_versions')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'zone_schedule_programmes',
        columns: [
          { ...c.ref('zone_id'), isPrimary: true },
          { ...c.ref('programme_id'), isPrimary: true },
        ],
        indices: [{ name: 'IDX_zone_schedule_programmes_programme', columnNames: ['programme_id'] }],
        foreignKeys: [zoneFk('zone_schedule_programmes')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'plans',
        columns: [
          c.id(),
          c.ref('zone_id'),
          c.ref('venue_id'),
          { name: 'schedule_version', type: 'integer' },
          c.ref('licence_id', true),
          { name: 'licence_version', type: 'integer', isNullable: true },
          c.text('licence_tier', 16, true),
          c.instant('licence_change_at', true),
          c.instant('compiled_at'),
          c.instant('horizon_from'),
          c.instant('horizon_until'),
          c.text('etag', 64),
          c.text('track_set', 64),
          c.text('reason', 100),
          { name: 'document', type: 'text' },
          c.instant('superseded_at', true),
        ],
        indices: [
          { name: 'IDX_plans_zone_superseded', columnNames: ['zone_id', 'superseded_at'] },
          { name: 'IDX_plans_superseded_horizon', columnNames: ['superseded_at', 'horizon_from'] },
          { name: 'IDX_plans_track_set', columnNames: ['track_set'] },
        ],
        foreignKeys: [zoneFk('plans')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'plan_tracks',
        columns: [
          { ...c.text('track_set', 64), isPrimary: true },
          { ...c.ref('track_id'), isPrimary: true },
        ],
        indices: [{ name: 'IDX_plan_tracks_track', columnNames: ['track_id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('plan_tracks');
    await q.dropTable('plans');
    await q.dropTable('zone_schedule_programmes');
    await q.dropTable('zone_schedule_versions');
    await q.dropTable('zone_schedules');
  }
}
