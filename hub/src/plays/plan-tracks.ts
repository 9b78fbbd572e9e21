/** One play as the not-in-plan check sees it. */
export interface PlanQuestion {
  planId: string | null;
  trackId: string;
  startMs: number;
}

/**
 * Whether plays' tracks were in a plan that could have chosen them: the plan the play names, or any plan of the
 * zone covering its start. A seam so intake does not depend on how plans are stored (hub/src/plans).
 */
export abstract class PlanTracks {
  /** One answer per question: true/false, or null when no plan is known for it (then nothing is flagged). */
  abstract inPlans(zoneId: string | null, questions: readonly PlanQuestion[]): Promise<(boolean | null)[]>;
}
