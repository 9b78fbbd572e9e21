import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Zone } from '../../tenancy/entities';

/** A zone's schedule head: the draft being edited and the number of the latest published version (0: none). */
@Entity({ name: 'zone_schedules' })
export class ZoneSchedule {
  @PrimaryColumn({ name: 'zone_id', ...ID_COLUMN })
  zoneId!: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'zone_id', foreignKeyConstraintName: 'FK_zone_schedules_zone' })
  zone?: Zone;

  /** The draft schedule document (JSON text, as validated); null: no draft. */
  @Column({ type: 'text', nullable: true })
  draft!: string | null;

  @InstantColumn({ name: 'draft_updated_at', nullable: true })
  draftUpdatedAt!: Date | null;

  @Column({ name: 'draft_updated_by_user_id', ...ID_COLUMN, nullable: true })
  draftUpdatedByUserId!: string | null;

  @Column({ name: 'latest_version', type: 'integer', default: 0 })
  latestVersion!: number;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}

/** One published version of a zone's schedule: kept forever, with who published it and when. */
@Entity({ name: 'zone_schedule_versions' })
@Index('UQ_zone_schedule_versions_zone_version', ['zoneId', 'version'], { unique: true })
export class ZoneScheduleVersion {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'zone_id', ...ID_COLUMN })
  zoneId!: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'zone_id', foreignKeyConstraintName: 'FK_zone_schedule_versions_zone' })
  zone?: Zone;

  @Column({ type: 'integer' })
  version!: number;

  /** The schedule document as published (JSON text). */
  @Column({ type: 'text' })
  document!: string;

  /** The programmes the document names. */
  @Column({ name: 'programme_ids', type: 'simple-json' })
  programmeIds!: string[];

  @InstantColumn({ name: 'published_at' })
  publishedAt!: Date;

  @Column({ name: 'published_by_user_id', ...ID_COLUMN, nullable: true })
  publishedByUserId!: string | null;

  /** The plan compiled when this version was published. */
  @Column({ name: 'plan_id', ...ID_COLUMN, nullable: true })
  planId!: string | null;
}

/** The programmes named by each zone's latest published schedule (for "which zones use this programme"). */
@Entity({ name: 'zone_schedule_programmes' })
@Index('IDX_zone_schedule_programmes_programme', ['programmeId'])
export class ZoneScheduleProgramme {
  @PrimaryColumn({ name: 'zone_id', ...ID_COLUMN })
  zoneId!: string;

  @ManyToOne(() => Zone, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'zone_id', foreignKeyConstraintName: 'FK_zone_schedule_programmes_zone' })
  zone?: Zone;

  @PrimaryColumn({ name: 'programme_id', ...ID_COLUMN })
  programmeId!: string;
}
