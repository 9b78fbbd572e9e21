import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import type { MembershipRole } from '../roles';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

/** A user's role within one organisation. */
@Entity({ name: 'memberships' })
@Index('UQ_memberships_user_org_role', ['userId', 'organisationId', 'role'], { unique: true })
@Index('IDX_memberships_organisation', ['organisationId'])
export class Membership {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'user_id', ...ID_COLUMN })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_memberships_user' })
  user?: User;

  @Column({ name: 'organisation_id', ...ID_COLUMN })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'FK_memberships_organisation' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 32 })
  role!: MembershipRole;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;
}
