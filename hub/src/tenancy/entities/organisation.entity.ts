import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';
import type { OrganisationKind } from '../roles';

/** A tenant: a label (owns tracks) or a business (owns venues). Users see data through their memberships. */
@Entity({ name: 'organisations' })
export class Organisation {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: OrganisationKind;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
