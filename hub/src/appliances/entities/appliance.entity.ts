import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Venue } from '../../tenancy/entities/venue.entity';
import { Zone } from '../../tenancy/entities/zone.entity';

/** Lifecycle of an appliance: active appliances may sign requests; revoked ones never again. */
export const APPLIANCE_STATUSES = ['active', 'revoked'] as const;
export type ApplianceStatus = (typeof APPLIANCE_STATUSES)[number];

/** How the hub learnt the appliance's public keys. */
export const ENROLMENT_KINDS = ['code', 'bundle'] as const;
export type EnrolmentKind = (typeof ENROLMENT_KINDS)[number];

/**
 * One device. The hub stores only its public keys (Ed25519 to check its signatures, X25519 to encrypt its tracks);
 * the private keys never leave the device. Play history and plans hang off the zone, so a replacement inherits them;
 * `replacesId`/`replacedById` keep the lineage of devices that served a zone.
 */
@Entity({ name: 'appliances' })
@Index('IDX_appliances_venue', ['venueId'])
@Index('IDX_appliances_zone', ['zoneId'])
@Index('UQ_appliances_signing_key', ['signingKey'], { unique: true })
export class Appliance {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'venue_id', ...ID_COLUMN })
  venueId!: string;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'FK_appliances_venue' })
  venue?: Venue;

  /** Null for factory-bundled appliances not yet placed in a zone, and for replaced ones. */
  @Column({ name: 'zone_id', ...ID_COLUMN, nullable: true })
  zoneId!: string | null;

  @ManyToOne(() => Zone, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'zone_id', foreignKeyConstraintName: 'FK_appliances_zone' })
  zone?: Zone | null;

  @Column({ type: 'varchar', length: 16 })
  status!: ApplianceStatus;

  /** Ed25519 public key, base64url (43 characters). */
  @Column({ name: 'signing_key', type: 'varchar', length: 64 })
  signingKey!: string;

  /** X25519 public key, base64url (43 characters). */
  @Column({ name: 'encryption_key', type: 'varchar', length: 64 })
  encryptionKey!: string;

  @Column({ name: 'enrolled_via', type: 'varchar', length: 16 })
  enrolledVia!: EnrolmentKind;

  @InstantColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason!: string | null;

  @Column({ name: 'replaces_id', ...ID_COLUMN, nullable: true })
  replacesId!: string | null;

  @Column({ name: 'replaced_by_id', ...ID_COLUMN, nullable: true })
  replacedById!: string | null;

  @InstantColumn({ name: 'keys_rotated_at', nullable: true })
  keysRotatedAt!: Date | null;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
