import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { booleanDefault, INSTANT_TABLE_COLUMN, migrationColumns } from '../columns';

const { ref, text } = migrationColumns;
const id = migrationColumns.id();
const timestamps: TableColumnOptions[] = [
  { name: 'created_at', ...INSTANT_TABLE_COLUMN },
  { name: 'updated_at', ...INSTANT_TABLE_COLUMN },
];

/** Organisations (labels, businesses), users, memberships, venue groups, venues and zones. */
export class CoreTenancy1795485700000 implements MigrationInterface {
  name = 'CoreTenancy1795485700000';

  async up(q: QueryRunner): Promise<void> {
    const no = booleanDefault(q.connection.options.type, false);
    await q.createTable(
      new Table({ name: 'organisations', columns: [id, text('kind', 16), text('name', 200), ...timestamps] }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          text('email', 320),
          text('display_name', 200),
          text('password_hash', 255),
          { name: 'is_operator', type: 'boolean', default: no },
          { name: 'disabled', type: 'boolean', default: no },
          ...timestamps,
        ],
        indices: [{ name: 'UQ_users_email', columnNames: ['email'], isUnique: true }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'memberships',
        columns: [id, ref('user_id'), ref('organisation_id'), text('role', 32), timestamps[0]],
        indices: [
          { name: 'UQ_memberships_user_org_role', columnNames: ['user_id', 'organisation_id', 'role'], isUnique: true },
          { name: 'IDX_memberships_organisation', columnNames: ['organisation_id'] },
        ],
        foreignKeys: [
          {
            name: 'FK_memberships_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            name: 'FK_memberships_organisation',
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
        name: 'venue_groups',
        columns: [id, ref('organisation_id'), text('name', 200), ...timestamps],
        indices: [{ name: 'IDX_venue_groups_organisation', columnNames: ['organisation_id'] }],
        foreignKeys: [
          {
            name: 'FK_venue_groups_organisation',
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
        name: 'venues',
        columns: [
          id,
          ref('organisation_id'),
          ref('venue_group_id', true),
          text('name', 200),
          { name: 'address', type: 'text', isNullable: true },
          text('time_zone', 64),
          { name: 'opening_hours', type: 'text', isNullable: true },
          ...timestamps,
        ],
        indices: [
          { name: 'IDX_venues_organisation', columnNames: ['organisation_id'] },
          { name: 'IDX_venues_venue_group', columnNames: ['venue_group_id'] },
        ],
        foreignKeys: [
          {
            name: 'FK_venues_organisation',
            columnNames: ['organisation_id'],
            referencedTableName: 'organisations',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            name: 'FK_venues_venue_group',
            columnNames: ['venue_group_id'],
            referencedTableName: 'venue_groups',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'zones',
        columns: [id, ref('venue_id'), text('name', 200), ...timestamps],
        indices: [{ name: 'UQ_zones_venue_name', columnNames: ['venue_id', 'name'], isUnique: true }],
        foreignKeys: [
          {
            name: 'FK_zones_venue',
            columnNames: ['venue_id'],
            referencedTableName: 'venues',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['zones', 'venues', 'venue_groups', 'memberships', 'users', 'organisations']) {
      await q.dropTable(table);
    }
  }
}
