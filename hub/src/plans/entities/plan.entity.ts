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

  /** Why it was compiled ("publish", "programme.update", "horizon"...). */
  @Column({ type: 'varchar', length: 100 })
  reason!: string;

  /** The signed document's JSON text, served byte for byte. */
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
