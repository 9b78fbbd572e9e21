import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import { Organisation } from './organisation.entity';

/** A business's set of venues managed together (a chain's region, a brand). */
@Entity({ name: 'venue_groups' })
@Index('IDX_venue_groups_organisation', ['organisationId'])
export class VenueGroup {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ name: 'organisation_id', ...ID_COLUMN })
  organisationId!: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'FK_venue_groups_organisation' })
  organisation?: Organisation;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
