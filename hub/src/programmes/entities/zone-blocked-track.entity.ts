import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Track } from '../../catalog/entities/track.entity';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Zone } from '../../tenancy/entities';

/** A track a zone never plays, whatever its programmes say. */
@Entity({ name: 'zone_blocked_tracks' })
@Index('IDX_zone_blocked_tracks_track', ['trackId'])
export class ZoneBlockedTrack {
  @PrimaryColumn({ name: 'zone_id', ...ID_COLUMN })
  zoneId!: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'zone_id', foreignKeyConstraintName: 'FK_zone_blocked_tracks_zone' })
  zone?: Zone;

  @PrimaryColumn({ name: 'track_id', ...ID_COLUMN })
  trackId!: string;

  @ManyToOne(() => Track, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'track_id', foreignKeyConstraintName: 'FK_zone_blocked_tracks_track' })
  track?: Track;

  @Column({ name: 'blocked_by_user_id', ...ID_COLUMN, nullable: true })
  blockedByUserId!: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;
}
