import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import type { ApplianceState, CheckinRequest } from '@roomtone/provisioning';
import { Appliance } from '../../appliances/entities/appliance.entity';
import { bigintNumber, ID_COLUMN, InstantColumn } from '../../database/columns';

/** What the appliance last reported playing (CheckinRequest.nowPlaying). */
export type NowPlaying = NonNullable<CheckinRequest['nowPlaying']>;
/** Its track cache (CheckinRequest.cache). */
export type CacheReport = CheckinRequest['cache'];
/** One recent error it reported. */
export type ReportedError = CheckinRequest['errors'][number];

/**
 * The last check-in of one appliance (one row per appliance, replaced by every check-in). `lastSeenAt` is the hub's
 * clock, so whether an appliance is online is computed from it at read time and every hub agrees; `online` and
 * `offlineSince` are the transition the periodic sweep recorded, for the dashboard and metrics.
 */
@Entity({ name: 'appliance_statuses' })
@Index('IDX_appliance_statuses_last_seen', ['lastSeenAt'])
export class ApplianceStatusRow {
  @PrimaryColumn({ name: 'appliance_id', ...ID_COLUMN })
  applianceId!: string;

  @OneToOne(() => Appliance, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appliance_id', foreignKeyConstraintName: 'FK_appliance_statuses_appliance' })
  appliance?: Appliance;

  /** When the hub received the last check-in (hub clock). */
  @InstantColumn({ name: 'last_seen_at' })
  lastSeenAt!: Date;

  /** The appliance's own clock minus the hub's, in ms, at the last check-in (positive: the appliance is ahead). */
  @Column({ name: 'clock_skew_ms', type: 'bigint', transformer: bigintNumber })
  clockSkewMs!: number;

  @Column({ type: 'varchar', length: 32 })
  state!: ApplianceState;

  @Column({ name: 'software_version', type: 'varchar', length: 100 })
  softwareVersion!: string;

  @Column({ name: 'uptime_seconds', type: 'bigint', transformer: bigintNumber })
  uptimeSeconds!: number;

  @Column({ name: 'now_playing', type: 'simple-json', nullable: true })
  nowPlaying!: NowPlaying | null;

  @Column({ type: 'simple-json' })
  cache!: CacheReport;

  @Column({ name: 'disk_free_bytes', type: 'bigint', transformer: bigintNumber })
  diskFreeBytes!: number;

  @Column({ name: 'play_log_pending', type: 'bigint', transformer: bigintNumber })
  playLogPending!: number;

  @Column({ name: 'play_log_last_sequence', type: 'bigint', transformer: bigintNumber })
  playLogLastSequence!: number;

  /** The plan the appliance holds (null: none yet). */
  @Column({ name: 'plan_id', ...ID_COLUMN, nullable: true })
  planId!: string | null;

  @Column({ name: 'licence_etag', type: 'varchar', length: 100, nullable: true })
  licenceEtag!: string | null;

  /** Most recent first, at most 20. */
  @Column({ name: 'recent_errors', type: 'simple-json' })
  recentErrors!: ReportedError[];

  /** False once the sweep saw the silence; true again at the next check-in. */
  @Column({ type: 'boolean', default: true })
  online!: boolean;

  /** When the silence began to count as offline (lastSeenAt + the threshold), as recorded by the sweep. */
  @InstantColumn({ name: 'offline_since', nullable: true })
  offlineSince!: Date | null;
}
