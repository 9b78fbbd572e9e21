import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Organisation } from '../../tenancy/entities';

/** 'ordered': the list in order, looping; 'shuffled': the list, shuffled by the appliance; 'rules': catalogue filters. */
export const PROGRAMME_KINDS = ['ordered', 'shuffled', 'rules'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

/** A rules programme's filters, resolved against the ready catalogue (every given filter must match). */
export interface ProgrammeRules {
  /** Any of these genres (case-insensitive); empty: any genre. */
  genres: string[];
  /** Any of these moods (case-insensitive); empty: any mood. */
  moods: string[];
  bpmMin: number | null;
  bpmMax: number | null;
  /** Explicit tracks may be included (the venue's own switch still applies). */
  allowExplicit: boolean;
  /** Only tracks of these labels; empty: any label. */
  ownerOrganisationIds: string[];
  /** At most this many tracks, by title then id. */
  maxTracks: number;
}

/**
 * What to play, owned by a business. Every change bumps `version` (the plan carries it) and writes a plan
 * invalidation in the same transaction.
 */
@Entity({ name: 'programmes' })
@Index('UQ_programmes_organisation_name', ['organisationId', 'name'], { unique: true })
export class Programme {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'organisation_id', ...ID_COLUMN })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'FK_programmes_organisation' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ProgrammeKind;

  /** The explicit list for 'ordered' and 'shuffled'; null for 'rules'. */
  @Column({ name: 'track_ids', type: 'simple-json', nullable: true })
  trackIds!: string[] | null;

  /** The filters for 'rules'; null otherwise. */
  @Column({ type: 'simple-json', nullable: true })
  rules!: ProgrammeRules | null;

  @Column({ name: 'repeat_window_minutes', type: 'integer' })
  repeatWindowMinutes!: number;

  @Column({ name: 'artist_separation_minutes', type: 'integer' })
  artistSeparationMinutes!: number;

  @Column({ name: 'crossfade_ms', type: 'integer' })
  crossfadeMs!: number;

  @Column({ type: 'integer' })
  version!: number;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
