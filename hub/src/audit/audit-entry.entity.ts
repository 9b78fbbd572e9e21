import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../database/columns';

/**
 * One change: who (actor, kept as id and e-mail so the entry survives the user's deletion, hence no foreign key),
 * what (action, entity), the before/after summaries, when, and the request id that ties it to the logs.
 */
@Entity({ name: 'audit_entries' })
@Index('IDX_audit_entries_occurred_at', ['occurredAt'])
@Index('IDX_audit_entries_entity', ['entityType', 'entityId'])
export class AuditEntry {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @InstantColumn({ name: 'occurred_at' })
  occurredAt!: Date;

  @Column({ name: 'actor_user_id', ...ID_COLUMN, nullable: true })
  actorUserId!: string | null;

  @Column({ name: 'actor_email', type: 'varchar', length: 320, nullable: true })
  actorEmail!: string | null;

  /** Dotted verb, e.g. `venue.update`, `auth.login_failed`. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 64 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64, nullable: true })
  entityId!: string | null;

  /** The organisation the entity belongs to, when it has one. */
  @Column({ name: 'organisation_id', ...ID_COLUMN, nullable: true })
  organisationId!: string | null;

  /** JSON summaries of the changed fields (secrets never included). */
  @Column({ type: 'text', nullable: true })
  before!: string | null;

  @Column({ type: 'text', nullable: true })
  after!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;
}
