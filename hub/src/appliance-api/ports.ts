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

/** The zone's current plan, or null when it has none. */
export abstract class CurrentPlans {
  abstract current(zoneId: string): Promise<CurrentPlan | null>;
}

/** Highest play sequence stored for an appliance with every lower one (0: none). */
export abstract class PlaysProgress {
  abstract storedThrough(applianceId: string): Promise<number>;
}
