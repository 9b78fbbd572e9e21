import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Venue } from './venue.entity';

/** One sound area of a venue, served by one appliance. */
@Entity({ name: 'zones' })
@Index('UQ_zones_venue_name', ['venueId', 'name'], { unique: true })
export class Zone {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'venue_id', ...ID_COLUMN })
  venueId!: string;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'FK_zones_venue' })
  venue?: Venue;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
