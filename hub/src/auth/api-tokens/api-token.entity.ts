import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { User } from '../../tenancy/entities';

/** A personal API token for scripts (Authorization: Bearer). Shown once at creation; stored as its SHA-256. */
@Entity({ name: 'api_tokens' })
@Index('IDX_api_tokens_user', ['userId'])
export class ApiToken {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'user_id', ...ID_COLUMN })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_api_tokens_user' })
  user?: User;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Index('UQ_api_tokens_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The token's first characters, so its owner can tell tokens apart without the secret. */
  @Column({ type: 'varchar', length: 16 })
  hint!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @InstantColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @InstantColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
