import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Zone } from '../../tenancy/entities/zone.entity';

/**
 * A one-time enrolment code for a zone. Only a keyed hash of the code is stored (a database dump does not hand out
 * codes); its first characters (`prefix`) are kept in clear so wrong guesses can be counted against the codes they
 * come close to, and a code locks after repeated failures.
 */
@Entity({ name: 'enrolment_codes' })
@Index('UQ_enrolment_codes_code_hash', ['codeHash'], { unique: true })
@Index('IDX_enrolment_codes_prefix', ['prefix'])
export class EnrolmentCode {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ type: 'varchar', length: 8 })
  prefix!: string;

  @Column({ name: 'venue_id', ...ID_COLUMN })
  venueId!: string;

  @Column({ name: 'zone_id', ...ID_COLUMN })
  zoneId!: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'zone_id', foreignKeyConstraintName: 'FK_enrolment_codes_zone' })
  zone?: Zone;

  /** When true, the device enrolled with this code replaces the zone's current appliance (which is revoked). */
  @Column({ type: 'boolean', default: false })
  replace!: boolean;

  @Column({ name: 'created_by', ...ID_COLUMN })
  createdBy!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @InstantColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'used_by_appliance_id', ...ID_COLUMN, nullable: true })
  usedByApplianceId!: string | null;

  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  @InstantColumn({ name: 'locked_at', nullable: true })
  lockedAt!: Date | null;
}
