import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { User } from '../../tenancy/entities';

/**
 * Consecutive failed sign-ins of one account and the lock they caused. Persisted (unlike the per-IP limiter) so a
 * restart or a second hub does not hand a guesser fresh attempts. A row exists only after a first failure.
 */
@Entity({ name: 'login_lockouts' })
export class LoginLockout {
  @PrimaryColumn({ name: 'user_id', ...ID_COLUMN })
  userId!: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_login_lockouts_user' })
  user?: User;

  @Column({ name: 'failed_count', type: 'integer' })
  failedCount!: number;

  @InstantColumn({ name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
