import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ID_COLUMN, InstantColumn } from '../../database/columns';

/** What changed: the zones to recompile are found from it by the plan compiler. */
export const INVALIDATION_SCOPES = ['zone', 'venue', 'programme', 'track', 'all'] as const;
export type InvalidationScope = (typeof INVALIDATION_SCOPES)[number];

/**
 * "An input of some plans changed": written in the same transaction as the change, consumed (and deleted) by the plan
 * compiler, which recompiles the zones it affects. A table rather than an in-process event, so that the change and
 * the request to recompile commit together and any hub of several can do the work.
 */
@Entity({ name: 'plan_invalidations' })
@Index('IDX_plan_invalidations_created', ['createdAt'])
export class PlanInvalidation {
  @PrimaryColumn(ID_COLUMN)
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  scope!: InvalidationScope;

  /** The zone, venue, programme or track id; null for 'all'. */
  @Column({ name: 'scope_id', ...ID_COLUMN, nullable: true })
  scopeId!: string | null;

  /** For logs and the plan's history, e.g. "programme.update". */
  @Column({ type: 'varchar', length: 100 })
  reason!: string;

  @InstantColumn({ name: 'created_at' })
  createdAt!: Date;
}
