import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';

/** A person who signs in. What they may see comes from `isOperator` and their memberships. */
@Entity({ name: 'users' })
export class User {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  /** Stored lowercased (the repository normalises), so uniqueness is case-insensitive on both databases. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  /** argon2id PHC string (hub/src/auth/password.ts). */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'is_operator', type: 'boolean', default: false })
  isOperator!: boolean;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
