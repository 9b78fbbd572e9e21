import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Organisation } from './organisation.entity';
import { VenueGroup } from './venue-group.entity';

/** One opening interval in the venue's local time: weekday 1 = Monday ... 7 = Sunday, times "HH:MM". */
export interface OpeningInterval {
  weekday: number;
  opens: string;
  closes: string;
}

/** A business location. Every schedule rule of its zones is evaluated in `timeZone`. */
@Entity({ name: 'venues' })
@Index('IDX_venues_organisation', ['organisationId'])
@Index('IDX_venues_venue_group', ['venueGroupId'])
export class Venue {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'organisation_id', ...ID_COLUMN })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'FK_venues_organisation' })
  organisation?: Organisation;

  @Column({ name: 'venue_group_id', ...ID_COLUMN, nullable: true })
  venueGroupId!: string | null;

  @ManyToOne(() => VenueGroup, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'venue_group_id', foreignKeyConstraintName: 'FK_venues_venue_group' })
  venueGroup?: VenueGroup | null;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  /** IANA zone name, e.g. "Europe/London". */
  @Column({ name: 'time_zone', type: 'varchar', length: 64 })
  timeZone!: string;

  @Column({ name: 'opening_hours', type: 'simple-json', nullable: true })
  openingHours!: OpeningInterval[] | null;

  /** Explicit tracks may play in the venue's zones (default: no). */
  @Column({ name: 'allow_explicit', type: 'boolean', default: false })
  allowExplicit!: boolean;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
