import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrationColumns as c } from '../columns';

/** Requests to recompile plans, written with the change that makes them stale (hub/src/plans/invalidation). */
export class PlanInvalidations1795500000000 implements MigrationInterface {
  name = 'PlanInvalidations1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'plan_invalidations',
        columns: [c.id(), c.text('scope', 16), c.ref('scope_id', true), c.text('reason', 100), c.instant('created_at')],
        indices: [{ name: 'IDX_plan_invalidations_created', columnNames: ['created_at'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('plan_invalidations');
  }
}
