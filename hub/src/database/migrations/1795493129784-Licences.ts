import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ID_TABLE_COLUMN, INSTANT_TABLE_COLUMN } from '../columns';

/** Venue licences (hub/src/licences). */
export class Licences1795493129784 implements MigrationInterface {
  name = 'Licences1795493129784';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'licences',
        columns: [
          { name: 'id', ...ID_TABLE_COLUMN, isPrimary: true },
          { name: 'venue_id', ...ID_TABLE_COLUMN },
          { name: 'zone_ids', type: 'text', isNullable: true },
          { name: 'tier', type: 'varchar', length: '16' },
          { name: 'valid_from', ...INSTANT_TABLE_COLUMN },
          { name: 'valid_until', ...INSTANT_TABLE_COLUMN },
          { name: 'lease_days', type: 'integer' },
          { name: 'version', type: 'integer' },
          { name: 'revoked_at', ...INSTANT_TABLE_COLUMN, isNullable: true },
          { name: 'revoked_reason', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', ...INSTANT_TABLE_COLUMN },
          { name: 'updated_at', ...INSTANT_TABLE_COLUMN },
        ],
        indices: [{ name: 'IDX_licences_venue', columnNames: ['venue_id'] }],
        foreignKeys: [
          {
            name: 'FK_licences_venue',
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
    await q.dropTable('licences');
  }
}
