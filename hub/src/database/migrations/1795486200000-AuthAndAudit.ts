import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { migrationColumns } from '../columns';

const { id: idColumn, ref, text, instant } = migrationColumns;
const id = idColumn();
const cascadeTo = (name: string, column: string, table: string) => ({
  name,
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
});

/** Sessions, API tokens, login lockouts, installer venue grants and the audit log (hub/src/auth, users, audit). */
export class AuthAndAudit1795486200000 implements MigrationInterface {
  name = 'AuthAndAudit1795486200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id,
          ref('user_id'),
          text('token_hash', 64),
          instant('created_at'),
          instant('last_seen_at'),
          instant('expires_at'),
          instant('revoked_at', true),
          text('ip', 64, true),
          text('user_agent', 300, true),
        ],
        indices: [
          { name: 'IDX_sessions_user', columnNames: ['user_id'] },
          { name: 'UQ_sessions_token_hash', columnNames: ['token_hash'], isUnique: true },
        ],
        foreignKeys: [cascadeTo('FK_sessions_user', 'user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id,
          ref('user_id'),
          text('name', 100),
          text('token_hash', 64),
          text('hint', 16),
          instant('created_at'),
          instant('expires_at', true),
          instant('last_used_at', true),
          instant('revoked_at', true),
        ],
        indices: [
          { name: 'IDX_api_tokens_user', columnNames: ['user_id'] },
          { name: 'UQ_api_tokens_token_hash', columnNames: ['token_hash'], isUnique: true },
        ],
        foreignKeys: [cascadeTo('FK_api_tokens_user', 'user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'login_lockouts',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { name: 'failed_count', type: 'integer' },
          instant('locked_until', true),
          instant('updated_at'),
        ],
        foreignKeys: [cascadeTo('FK_login_lockouts_user', 'user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'installer_venue_grants',
        columns: [id, ref('user_id'), ref('venue_id'), instant('created_at')],
        indices: [
          { name: 'UQ_installer_venue_grants_user_venue', columnNames: ['user_id', 'venue_id'], isUnique: true },
          { name: 'IDX_installer_venue_grants_venue', columnNames: ['venue_id'] },
        ],
        foreignKeys: [
          cascadeTo('FK_installer_venue_grants_user', 'user_id', 'users'),
          cascadeTo('FK_installer_venue_grants_venue', 'venue_id', 'venues'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          id,
          instant('occurred_at'),
          ref('actor_user_id', true),
          text('actor_email', 320, true),
          text('action', 64),
          text('entity_type', 64),
          text('entity_id', 64, true),
          ref('organisation_id', true),
          { name: 'before', type: 'text', isNullable: true },
          { name: 'after', type: 'text', isNullable: true },
          text('request_id', 128, true),
        ],
        indices: [
          { name: 'IDX_audit_entries_occurred_at', columnNames: ['occurred_at'] },
          { name: 'IDX_audit_entries_entity', columnNames: ['entity_type', 'entity_id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_entries', 'installer_venue_grants', 'login_lockouts', 'api_tokens', 'sessions']) {
      await q.dropTable(table);
    }
  }
}
