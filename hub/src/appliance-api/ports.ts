/**
 * What the appliance API needs from features written beside it (plans, plays), as abstract classes the module binds
 * to the real services. Keeping the seam here lets check-in be built and tested on its own.
 */

/** A zone's current compiled plan as the plans feature stores it. `json` is the signed document text, served as is. */
export interface CurrentPlan {
  planId: string;
  etag: string;
  json: string;
}

/** Which plan is current, without its document: what a check-in compares with the appliance's. */
export type CurrentPlanId = Omit<CurrentPlan, 'json'>;

/** The zone's current plan, or null when it has none. */
export abstract class CurrentPlans {
  abstract current(zoneId: string): Promise<CurrentPlan | null>;
  /** The current plan's id and ETag only (one small indexed read: no document); null when it has none. */
  abstract currentId(zoneId: string): Promise<CurrentPlanId | null>;
}

/** Highest play sequence stored for an appliance with every lower one (0: none). */
export abstract class PlaysProgress {
  abstract storedThrough(applianceId: string): Promise<number>;
}
