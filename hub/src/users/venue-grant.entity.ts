import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Column } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../database/columns';
import { User, Venue } from '../tenancy/entities';

/** An installer authorised for one venue outside their own organisations (a contractor fitting many chains). */
@Entity({ name: 'installer_venue_grants' })
@Index('UQ_installer_venue_grants_user_venue', ['userId', 'venueId'], { unique: true })
@Index('IDX_installer_venue_grants_venue', ['venueId'])
export class InstallerVenueGrant {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'user_id', ...ID_COLUMN })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_installer_venue_grants_user' })
  user?: User;

  @Column({ name: 'venue_id', ...ID_COLUMN })
  venueId!: string;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'FK_installer_venue_grants_venue' })
  venue?: Venue;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;
}
