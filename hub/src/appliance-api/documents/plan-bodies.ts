/**
 * Where the plan body endpoint reads bodies and which zone may read which (bound to PlansService). A port, like
 * CurrentPlans, so a test can serve documents it signs itself.
 */
export abstract class PlanBodies {
  /** The body's exact canonical text, or null when none is stored under this hash. */
  abstract body(sha256: string): Promise<string | null>;
  /** True when a plan of the zone (current, or superseded and not pruned) references the body. */
  abstract bodyReferenced(zoneId: string, sha256: string): Promise<boolean>;
}
