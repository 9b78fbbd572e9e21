import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintNumber, ID_COLUMN, InstantColumn } from '../../database/columns';
import { Organisation } from '../../tenancy/entities/organisation.entity';
import type { MasterFormat } from '../media';

/** Where a track is in its life: being ingested, playable, or refused by ingest (see its job for why). */
export const TRACK_STATUSES = ['ingesting', 'ready', 'failed'] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

/**
 * A recording owned by a label: its metadata (from tags, editable by the owner), its master's identity (SHA-256) and
 * what ingest measured. Files live under `<data dir>/media/tracks/<id>/` (master, delivery.mp3, preview.mp3).
 */
@Entity({ name: 'tracks' })
@Index('UQ_tracks_owner_sha256', ['ownerOrganisationId', 'contentSha256'], { unique: true })
@Index('IDX_tracks_status_title', ['status', 'title'])
@Index('IDX_tracks_owner_title', ['ownerOrganisationId', 'title'])
@Index('IDX_tracks_duration_id', ['durationMs', 'id'])
@Index('IDX_tracks_created_id', ['createdAt', 'id'])
export class Track {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'owner_organisation_id', ...ID_COLUMN })
  ownerOrganisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_organisation_id', foreignKeyConstraintName: 'FK_tracks_owner_organisation' })
  owner?: Organisation;

  @Column({ type: 'varchar', length: 16 })
  status!: TrackStatus;

  @Column({ name: 'content_sha256', type: 'varchar', length: 64 })
  contentSha256!: string;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  artist!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  album!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  label!: string | null;

  @Column({ type: 'integer', nullable: true })
  year!: number | null;

  /** ISO 3901, stored without hyphens: CC XXX YY NNNNN (12 characters). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  isrc!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  genre!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  mood!: string | null;

  @Column({ type: 'real', nullable: true })
  bpm!: number | null;

  @Column({ type: 'boolean', default: false })
  explicit!: boolean;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ name: 'master_format', type: 'varchar', length: 8 })
  masterFormat!: MasterFormat;

  @Column({ name: 'master_size_bytes', type: 'bigint', transformer: bigintNumber })
  masterSizeBytes!: number;

  @Column({ name: 'master_bitrate', type: 'integer' })
  masterBitrate!: number;

  @Column({ name: 'original_filename', type: 'varchar', length: 255, nullable: true })
  originalFilename!: string | null;

  /** EBU R128 integrated loudness of the master (LUFS): the appliance's playback gain starts from it. */
  @Column({ name: 'loudness_lufs', type: 'real', nullable: true })
  loudnessLufs!: number | null;

  @Column({ name: 'true_peak_dbtp', type: 'real', nullable: true })
  truePeakDbtp!: number | null;

  @Column({ name: 'loudness_range_lu', type: 'real', nullable: true })
  loudnessRangeLu!: number | null;

  /** Where the music starts and ends after leading/trailing silence, in milliseconds from the start of the file. */
  @Column({ name: 'cue_in_ms', type: 'integer', nullable: true })
  cueInMs!: number | null;

  @Column({ name: 'cue_out_ms', type: 'integer', nullable: true })
  cueOutMs!: number | null;

  @Column({ name: 'delivery_kbps', type: 'integer', nullable: true })
  deliveryKbps!: number | null;

  @Column({ name: 'preview_gain_db', type: 'real', nullable: true })
  previewGainDb!: number | null;

  /** Size of `delivery.mp3` in bytes; null until the track is ready (or for tracks made before it was recorded). */
  @Column({ name: 'delivery_size_bytes', type: 'bigint', nullable: true, transformer: bigintNumber })
  deliverySizeBytes!: number | null;

  /** SHA-256 of `delivery.mp3`, lowercase hex: the plaintext every encrypted download of this track decrypts to. */
  @Column({ name: 'delivery_sha256', type: 'varchar', length: 64, nullable: true })
  deliverySha256!: string | null;

  @Column({ name: 'preview_size_bytes', type: 'bigint', nullable: true, transformer: bigintNumber })
  previewSizeBytes!: number | null;

  /** Bumped whenever a rendition file is replaced, so download ETags and appliance caches follow the bytes. */
  @Column({ name: 'rendition_version', type: 'integer', default: 1 })
  renditionVersion!: number;

  @Column({ name: 'uploaded_by_user_id', ...ID_COLUMN, nullable: true })
  uploadedByUserId!: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
