import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrationColumns as c } from '../columns';

/** Fixed id of the one invalidation this migration writes (so running it twice cannot queue two). */
const RECOMPILE_ALL_ID = '019ab5a0-0000-7000-8000-000000000600';

/**
 * Plan format 2 (hub/src/plans): content-addressed plan bodies shared by every plan that references them, and
 * the two references on each plan. Plans compiled before (format 1, each carrying its whole plan) are recompiled by
 * the plan worker: one `all` invalidation when any plan exists.
 */
export class SharedPlanBodies1795500600000 implements MigrationInterface {
  name = 'SharedPlanBodies1795500600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'plan_bodies',
        columns: [
          { ...c.text('sha256', 64), isPrimary: true },
          c.text('kind', 16),
          { name: 'bytes', type: 'integer' },
          { name: 'body', type: 'text' },
          c.instant('last_used_at'),
        ],
        indices: [{ name: 'IDX_plan_bodies_last_used', columnNames: ['last_used_at'] }],
      }),
    );
    await q.addColumns('plans', [
      new TableColumn(c.text('timeline_sha256', 64, true)),
      new TableColumn(c.text('catalogue_sha256', 64, true)),
    ]);
    await q.createIndex(
      'plans',
      new TableIndex({ name: 'IDX_plans_timeline_sha256', columnNames: ['timeline_sha256'] }),
    );
    await q.createIndex(
      'plans',
      new TableIndex({ name: 'IDX_plans_catalogue_sha256', columnNames: ['catalogue_sha256'] }),
    );
    const p = q.connection.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    await q.query(
      `INSERT INTO plan_invalidations (id, scope, scope_id, reason, created_at)
       SELECT ${p[0]}, 'all', NULL, 'plan format 2', ${p[1]} WHERE EXISTS (SELECT 1 FROM plans)`,
      [RECOMPILE_ALL_ID, new Date().toISOString()],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('plans', 'IDX_plans_catalogue_sha256');
    await q.dropIndex('plans', 'IDX_plans_timeline_sha256');
    await q.dropColumns('plans', ['timeline_sha256', 'catalogue_sha256']);
    await q.dropTable('plan_bodies');
  }
}
