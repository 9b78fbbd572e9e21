import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Track } from './track.entity';

/** An ingest job's states, in order; `failed` may follow any running state. */
export const INGEST_STATES = ['queued', 'analysing', 'transcoding', 'ready', 'failed'] as const;
export type IngestState = (typeof INGEST_STATES)[number];

/** States in which a job still has work to do: a hub that stops leaves them here and picks them up at boot. */
export const UNFINISHED_INGEST_STATES: readonly IngestState[] = ['queued', 'analysing', 'transcoding'];

/** The persisted progress of turning one uploaded master into a playable track. */
@Entity({ name: 'ingest_jobs' })
@Index('IDX_ingest_jobs_state_created', ['state', 'createdAt'])
@Index('IDX_ingest_jobs_track', ['trackId'])
export class IngestJob {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'track_id', ...ID_COLUMN })
  trackId!: string;

  @ManyToOne(() => Track, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'track_id', foreignKeyConstraintName: 'FK_ingest_jobs_track' })
  track?: Track;

  @Column({ type: 'varchar', length: 16 })
  state!: IngestState;

  /** 0 to 100, over the whole job (analysis is the first half, transcoding the second). */
  @Column({ type: 'integer', default: 0 })
  progress!: number;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  /** How many times a hub started this job (a restart mid-job starts it again). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @InstantColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
