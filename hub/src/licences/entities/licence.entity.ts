import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Venue } from '../../tenancy/entities';

/** What a licence lets a venue receive: every track, or previews only. */
export const LICENCE_TIERS = ['full', 'preview'] as const;
export type LicenceTier = (typeof LICENCE_TIERS)[number];

/**
 * An operator-managed licence for a venue, valid over [validFrom, validUntil). Amendments bump `version` and are
 * audited with before/after; revocation stamps `revokedAt` instead of deleting, so what was valid when is never lost.
 */
@Entity({ name: 'licences' })
@Index('IDX_licences_venue', ['venueId'])
export class Licence {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'venue_id', ...ID_COLUMN })
  venueId!: string;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'FK_licences_venue' })
  venue?: Venue;

  /** The zones covered; null covers every zone of the venue, including zones added later. */
  @Column({ name: 'zone_ids', type: 'simple-json', nullable: true })
  zoneIds!: string[] | null;

  @Column({ type: 'varchar', length: 16 })
  tier!: LicenceTier;

  @InstantColumn({ name: 'valid_from' })
  validFrom!: Date;

  @InstantColumn({ name: 'valid_until' })
  validUntil!: Date;

  @Column({ name: 'lease_days', type: 'integer' })
  leaseDays!: number;

  @Column({ type: 'integer' })
  version!: number;

  @InstantColumn({ name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason!: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
