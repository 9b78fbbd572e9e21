import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { booleanDefault, migrationColumns } from '../columns';

const { id: idColumn, ref, text, instant } = migrationColumns;
const id = idColumn();

/** Appliances, enrolment codes and signed-request nonces (hub/src/appliances). */
export class Appliances1795486925664 implements MigrationInterface {
  name = 'Appliances1795486925664';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'appliances',
        columns: [
          id,
          ref('venue_id'),
          ref('zone_id', true),
          text('status', 16),
          text('signing_key', 64),
          text('encryption_key', 64),
          text('enrolled_via', 16),
          instant('revoked_at', true),
          text('revoked_reason', 500, true),
          ref('replaces_id', true),
          ref('replaced_by_id', true),
          instant('keys_rotated_at', true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          { name: 'IDX_appliances_venue', columnNames: ['venue_id'] },
          { name: 'IDX_appliances_zone', columnNames: ['zone_id'] },
          { name: 'UQ_appliances_signing_key', columnNames: ['signing_key'], isUnique: true },
        ],
        foreignKeys: [
          {
            name: 'FK_appliances_venue',
            columnNames: ['venue_id'],
            referencedTableName: 'venues',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
          {
            name: 'FK_appliances_zone',
            columnNames: ['zone_id'],
            referencedTableName: 'zones',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'enrolment_codes',
        columns: [
          id,
          text('code_hash', 64),
          text('prefix', 8),
          ref('venue_id'),
          ref('zone_id'),
          { name: 'replace', type: 'boolean', default: booleanDefault(q.connection.options.type, false) },
          ref('created_by'),
          instant('created_at'),
          instant('expires_at'),
          instant('used_at', true),
          ref('used_by_appliance_id', true),
          { name: 'failed_attempts', type: 'integer', default: 0 },
          instant('locked_at', true),
        ],
        indices: [
          { name: 'UQ_enrolment_codes_code_hash', columnNames: ['code_hash'], isUnique: true },
          { name: 'IDX_enrolment_codes_prefix', columnNames: ['prefix'] },
        ],
        foreignKeys: [
          {
            name: 'FK_enrolment_codes_zone',
            columnNames: ['zone_id'],
            referencedTableName: 'zones',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'signature_nonces',
        columns: [
          { name: 'key_id', type: 'varchar', length: '128', isPrimary: true },
          { name: 'nonce', type: 'varchar', length: '128', isPrimary: true },
          { name: 'expires_at_ms', type: 'bigint' },
        ],
        indices: [{ name: 'IDX_signature_nonces_expires', columnNames: ['expires_at_ms'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['signature_nonces', 'enrolment_codes', 'appliances']) await q.dropTable(table);
  }
}
