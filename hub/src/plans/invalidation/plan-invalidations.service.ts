import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdGenerator } from '../../common/ids/id-generator';
import { Clock } from '../../common/time/clock';
import { PlanInvalidation, type InvalidationScope } from './plan-invalidation.entity';

/**
 * Called by every owner of a plan input (schedules, programmes, blocked tracks, the venue's explicit switch,
 * licences, the catalogue) inside the transaction that changes it: the affected zones' plans are then recompiled.
 */
@Injectable()
export class PlanInvalidations {
  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Plans of these zones. */
  zones(manager: EntityManager, zoneIds: readonly string[], reason: string): Promise<void> {
    return this.write(
      manager,
      zoneIds.map((id) => ['zone', id]),
      reason,
    );
  }

  /** Plans of every zone of the venue (licence, explicit switch, time zone). */
  venue(manager: EntityManager, venueId: string, reason: string): Promise<void> {
    return this.write(manager, [['venue', venueId]], reason);
  }

  /** Plans naming the programme (or that a rule-based programme could now include). */
  programme(manager: EntityManager, programmeId: string, reason: string): Promise<void> {
    return this.write(manager, [['programme', programmeId]], reason);
  }

  /** Plans that include the track or whose rule-based programmes might (metadata, status, renditions). */
  track(manager: EntityManager, trackId: string, reason: string): Promise<void> {
    return this.write(manager, [['track', trackId]], reason);
  }

  /** Every plan (e.g. a new tzdb version). */
  all(manager: EntityManager, reason: string): Promise<void> {
    return this.write(manager, [['all', null]], reason);
  }

  private async write(
    manager: EntityManager,
    scopes: readonly (readonly [InvalidationScope, string | null])[],
    reason: string,
  ): Promise<void> {
    if (scopes.length === 0) return;
    const now = this.clock.now();
    const rows = scopes.map(([scope, scopeId]) =>
      Object.assign(new PlanInvalidation(), { id: this.ids.next(), scope, scopeId, reason, createdAt: now }),
    );
    await manager.getRepository(PlanInvalidation).insert(rows);
  }
}
