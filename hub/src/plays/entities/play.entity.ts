import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, msInstant } from '../../database/columns';
import type { PlayFlag, PlaySource } from '@roomtone/provisioning';

/**
 * One play as the hub stored it: proof of play and the source of royalty statements. The catalogue fields (ISRC,
 * title, artist, album, label) and the venue's time zone are snapshots taken at intake, so a statement for a past
 * period does not change when a track's metadata is corrected later. No foreign keys: a play outlives the catalogue,
 * venue and appliance rows it names (and the hot insert path skips the lookups).
 *
 * Keyed by (appliance, the appliance's play id), the idempotency key; (appliance, sequence) is unique too, so two
 * requests carrying the same plays store them once whichever wins. Instants are bigint ms (hot path, millions of rows).
 */
@Entity({ name: 'plays' })
@Index('UQ_plays_appliance_sequence', ['applianceId', 'sequence'], { unique: true })
@Index('IDX_plays_zone_started', ['zoneId', 'startedAt'])
@Index('IDX_plays_venue_started', ['venueId', 'startedAt'])
@Index('IDX_plays_track_started', ['trackId', 'startedAt'])
export class Play {
  @PrimaryColumn({ name: 'appliance_id', ...ID_COLUMN })
  applianceId!: string;

  @PrimaryColumn({ name: 'play_id', ...ID_COLUMN })
  playId!: string;

  @Column({ type: 'integer' })
  sequence!: number;

  /** Null when the appliance was in no zone (a spare) when it uploaded. */
  @Column({ name: 'zone_id', ...ID_COLUMN, nullable: true })
  zoneId!: string | null;

  @Column({ name: 'venue_id', ...ID_COLUMN })
  venueId!: string;

  @Column({ name: 'track_id', ...ID_COLUMN })
  trackId!: string;

  @Column({ type: 'varchar', length: 12, nullable: true })
  isrc!: string | null;

  /** Null only for `unknown-track` plays. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  title!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  artist!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  album!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  label!: string | null;

  @Column({ name: 'started_at', type: 'bigint', transformer: msInstant })
  startedAt!: Date;

  /** startedAt + secondsAudible: what overlap checks compare against. */
  @Column({ name: 'ends_at', type: 'bigint', transformer: msInstant })
  endsAt!: Date;

  // Double, not real: PostgreSQL's real is 4 bytes and would not give back the exact value the appliance hashed.
  @Column({ name: 'seconds_audible', type: 'double precision' })
  secondsAudible!: number;

  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone!: string;

  @Column({ name: 'block_id', type: 'varchar', length: 100, nullable: true })
  blockId!: string | null;

  @Column({ type: 'text', nullable: true })
  rule!: string | null;

  @Column({ name: 'programme_id', ...ID_COLUMN, nullable: true })
  programmeId!: string | null;

  @Column({ name: 'plan_id', ...ID_COLUMN, nullable: true })
  planId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  source!: PlaySource;

  @Column({ type: 'varchar', length: 8 })
  quality!: 'full' | 'preview';

  @Column({ type: 'boolean', default: false })
  offline!: boolean;

  @Column({ type: 'varchar', length: 16 })
  ended!: 'completed' | 'stopped' | 'interrupted';

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  /** Comma-separated PlayFlag list ('' when clean): flagged plays are stored, never dropped. */
  @Column({ type: 'varchar', length: 200, transformer: { to: (v: PlayFlag[]) => v.join(','), from: splitFlags } })
  flags!: PlayFlag[];

  @Column({ name: 'received_at', type: 'bigint', transformer: msInstant })
  receivedAt!: Date;

  @Column({ name: 'batch_id', ...ID_COLUMN })
  batchId!: string;
}

function splitFlags(value: string | null | undefined): PlayFlag[] {
  return value ? (value.split(',') as PlayFlag[]) : [];
}

/**
 * One accepted POST /appliance/v1/plays: the appliance's signature covers the Content-Digest of the body, so the
 * digest plus the signature headers prove which appliance sent exactly which plays (proof of play).
 */
@Entity({ name: 'play_batches' })
@Index('IDX_play_batches_appliance_received', ['applianceId', 'receivedAt'])
export class PlayBatchRow {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'appliance_id', ...ID_COLUMN })
  applianceId!: string;

  @Column({ name: 'received_at', type: 'bigint', transformer: msInstant })
  receivedAt!: Date;

  /** The request's Content-Digest header (RFC 9530), as signed. */
  @Column({ type: 'varchar', length: 200 })
  digest!: string;

  /** The Signature-Input and Signature headers (RFC 9421), as received. */
  @Column({ name: 'signature_input', type: 'text' })
  signatureInput!: string;

  @Column({ type: 'text' })
  signature!: string;

  /** Plays in the body. */
  @Column({ type: 'integer' })
  count!: number;

  @Column({ type: 'integer' })
  accepted!: number;

  @Column({ type: 'integer' })
  duplicates!: number;

  /** Plays refused because the appliance already sent different content under that play id or sequence. */
  @Column({ type: 'integer' })
  conflicts!: number;
}

/** Per appliance: how far its play log is stored without holes. */
@Entity({ name: 'play_sequences' })
export class PlaySequence {
  @PrimaryColumn({ name: 'appliance_id', ...ID_COLUMN })
  applianceId!: string;

  /** Highest sequence with every lower one stored (0: none). */
  @Column({ name: 'stored_through', type: 'integer' })
  storedThrough!: number;

  /** Highest sequence stored. */
  @Column({ name: 'max_sequence', type: 'integer' })
  maxSequence!: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: msInstant })
  updatedAt!: Date;
}

/** A missing range of sequence numbers [from, to] of an appliance; shrinks or goes when its plays arrive. */
@Entity({ name: 'play_gaps' })
export class PlayGap {
  @PrimaryColumn({ name: 'appliance_id', ...ID_COLUMN })
  applianceId!: string;

  @PrimaryColumn({ name: 'from_sequence', type: 'integer' })
  fromSequence!: number;

  @Column({ name: 'to_sequence', type: 'integer' })
  toSequence!: number;

  /** When the hub first saw this hole (a range keeps it while it shrinks). */
  @Column({ name: 'recorded_at', type: 'bigint', transformer: msInstant })
  recordedAt!: Date;
}
