import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { booleanDefault, migrationColumns as c } from '../columns';

/** The last check-in of each appliance (hub/src/appliance-api/status). */
export class ApplianceStatus1795500300000 implements MigrationInterface {
  name = 'ApplianceStatus1795500300000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'appliance_statuses',
        columns: [
          { ...c.ref('appliance_id'), isPrimary: true },
          c.instant('last_seen_at'),
          { name: 'clock_skew_ms', type: 'bigint' },
          c.text('state', 32),
          c.text('software_version', 100),
          { name: 'uptime_seconds', type: 'bigint' },
          { name: 'now_playing', type: 'text', isNullable: true },
          { name: 'cache', type: 'text' },
          { name: 'disk_free_bytes', type: 'bigint' },
          { name: 'play_log_pending', type: 'bigint' },
          { name: 'play_log_last_sequence', type: 'bigint' },
          c.ref('plan_id', true),
          c.text('licence_etag', 100, true),
          { name: 'recent_errors', type: 'text' },
          { name: 'online', type: 'boolean', default: booleanDefault(q.connection.options.type, true) },
          c.instant('offline_since', true),
        ],
        indices: [{ name: 'IDX_appliance_statuses_last_seen', columnNames: ['last_seen_at'] }],
        foreignKeys: [
          {
            name: 'FK_appliance_statuses_appliance',
            columnNames: ['appliance_id'],
            referencedTableName: 'appliances',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('appliance_statuses');
  }
}
