/**
 * Which tracks a zone's current plan names. Delivery asks this before serving anything; the plan compiler
 * (hub/src/plans) answers it. Kept as a narrow port so delivery depends on "is this track in the plan", not on how
 * plans are stored.
 */
export interface ZonePlanTracks {
  /** The ids of the tracks the zone's current plan lists, or null when the zone has no plan. */
  trackIds(zoneId: string): Promise<ReadonlySet<string> | null>;
}

/** Injection token for {@link ZonePlanTracks}. */
export const ZONE_PLAN_TRACKS = Symbol('ZONE_PLAN_TRACKS');
