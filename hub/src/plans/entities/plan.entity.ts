import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Zone } from '../../tenancy/entities';

/**
 * A compiled, signed plan of one zone. The current plan of a zone is its row with `supersededAt` null; superseded
 * plans stay (what an appliance held, for play intake) until pruned after 90 days.
 */
@Entity({ name: 'plans' })
@Index('IDX_plans_zone_superseded', ['zoneId', 'supersededAt'])
@Index('IDX_plans_superseded_horizon', ['supersededAt', 'horizonFrom'])
@Index('IDX_plans_track_set', ['trackSet'])
@Index('IDX_plans_timeline_sha256', ['timelineSha256'])
@Index('IDX_plans_catalogue_sha256', ['catalogueSha256'])
export class Plan {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'zone_id', ...ID_COLUMN })
  zoneId!: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'zone_id', foreignKeyConstraintName: 'FK_plans_zone' })
  zone?: Zone;

  @Column({ name: 'venue_id', ...ID_COLUMN })
  venueId!: string;

  @Column({ name: 'schedule_version', type: 'integer' })
  scheduleVersion!: number;

  @Column({ name: 'licence_id', ...ID_COLUMN, nullable: true })
  licenceId!: string | null;

  @Column({ name: 'licence_version', type: 'integer', nullable: true })
  licenceVersion!: number | null;

  @Column({ name: 'licence_tier', type: 'varchar', length: 16, nullable: true })
  licenceTier!: 'full' | 'preview' | null;

  /** The next instant the zone's licence in force changes by itself (expires or another begins): recompile then. */
  @InstantColumn({ name: 'licence_change_at', nullable: true })
  licenceChangeAt!: Date | null;

  @InstantColumn({ name: 'compiled_at' })
  compiledAt!: Date;

  @InstantColumn({ name: 'horizon_from' })
  horizonFrom!: Date;

  @InstantColumn({ name: 'horizon_until' })
  horizonUntil!: Date;

  @Column({ type: 'varchar', length: 64 })
  etag!: string;

  /** SHA-256 of the sorted track ids: plans with the same tracks share their `plan_tracks` rows. */
  @Column({ name: 'track_set', type: 'varchar', length: 64 })
  trackSet!: string;

  /** Format 2: the bodies the envelope references (plan_bodies.sha256); null for format 1 documents. */
  @Column({ name: 'timeline_sha256', type: 'varchar', length: 64, nullable: true })
  timelineSha256!: string | null;

  @Column({ name: 'catalogue_sha256', type: 'varchar', length: 64, nullable: true })
  catalogueSha256!: string | null;

  /** Why it was compiled ("publish", "programme.update", "horizon"...). */
  @Column({ type: 'varchar', length: 100 })
  reason!: string;

  /** The signed document's JSON text (format 2: SignedDocument<PlanEnvelope>), served byte for byte. */
  @Column({ type: 'text' })
  document!: string;

  @InstantColumn({ name: 'superseded_at', nullable: true })
  supersededAt!: Date | null;
}

/** The tracks of a track set (see Plan.trackSet). */
@Entity({ name: 'plan_tracks' })
@Index('IDX_plan_tracks_track', ['trackId'])
export class PlanTrack {
  @PrimaryColumn({ name: 'track_set', type: 'varchar', length: 64 })
  trackSet!: string;

  @PrimaryColumn({ name: 'track_id', ...ID_COLUMN })
  trackId!: string;
}

/**
 * A plan body (format 2), content-addressed: the exact canonical JSON text whose SHA-256 envelopes reference. Shared
 * by every plan naming it; deleted by prune once no plan references it and no compilation used it for 90 days.
 */
@Entity({ name: 'plan_bodies' })
@Index('IDX_plan_bodies_last_used', ['lastUsedAt'])
export class PlanBody {
  /** SHA-256 (lowercase hex) of `body`'s UTF-8 bytes. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sha256!: string;

  /** 'timeline' or 'catalogue'. */
  @Column({ type: 'varchar', length: 16 })
  kind!: 'timeline' | 'catalogue';

  /** Length of `body` in UTF-8 bytes. */
  @Column({ type: 'integer' })
  bytes!: number;

  @Column({ type: 'text' })
  body!: string;

  @InstantColumn({ name: 'last_used_at' })
  lastUsedAt!: Date;
}
