import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlansService } from '../plans/plans.service';
import { PlanTracks, type PlanQuestion } from './plan-tracks';

/**
 * PlanTracks over hub/src/plans: a play's track must be in the plan the play names or in any plan of the zone
 * (current or superseded, until pruned) whose horizon covers the play's start. One query for the zone's plans in
 * the batch's time span, one `tracksOfPlans` call for all plans involved (track sets are cached by PlansService).
 */
@Injectable()
export class PlansPlanTracks extends PlanTracks {
  constructor(
    private readonly plans: PlansService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async inPlans(zoneId: string | null, questions: readonly PlanQuestion[]): Promise<(boolean | null)[]> {
    if (questions.length === 0) return [];
    const starts = questions.map((q) => q.startMs);
    const covering =
      zoneId === null
        ? []
        : (
            await this.dataSource.query<{ id: string; horizon_from: string; horizon_until: string }[]>(
              this.dataSource.options.type === 'postgres'
                ? 'SELECT id, horizon_from, horizon_until FROM plans WHERE zone_id = $1 AND horizon_from <= $2 AND horizon_until > $3'
                : 'SELECT id, horizon_from, horizon_until FROM plans WHERE zone_id = ? AND horizon_from <= ? AND horizon_until > ?',
              [zoneId, new Date(Math.max(...starts)).toISOString(), new Date(Math.min(...starts)).toISOString()],
            )
          ).map((p) => ({ id: p.id, from: Date.parse(p.horizon_from), until: Date.parse(p.horizon_until) }));
    const named = questions.map((q) => q.planId).filter((id): id is string => id !== null);
    const tracks = await this.plans.tracksOfPlans([...new Set([...named, ...covering.map((p) => p.id)])]);
    return questions.map((q) => {
      const namedTracks = q.planId === null ? undefined : tracks.get(q.planId);
      if (namedTracks?.has(q.trackId)) return true;
      const around = covering.filter((p) => p.from <= q.startMs && q.startMs < p.until);
      if (around.some((p) => tracks.get(p.id)?.has(q.trackId))) return true;
      return namedTracks === undefined && around.length === 0 ? null : false;
    });
  }
}
