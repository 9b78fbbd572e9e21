/** Whether an appliance is reachable, as people see it: computed from its last check-in at read time. */
export const LIVE_STATUSES = ['online', 'offline', 'never'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/**
 * `never`: it has not checked in; `offline`: its last check-in is `offlineAfterMs` or more before `now`; `online`
 * otherwise. Derived from the hub clock's `lastSeenAt` rather than a stored flag, so every hub answers alike.
 */
export function liveStatus(lastSeenAt: Date | null, now: Date, offlineAfterMs: number): LiveStatus {
  if (lastSeenAt === null) return 'never';
  return now.getTime() - lastSeenAt.getTime() >= offlineAfterMs ? 'offline' : 'online';
}

/** The instant from which an appliance last seen at `lastSeenAt` counts as offline. */
export function offlineFrom(lastSeenAt: Date, offlineAfterMs: number): Date {
  return new Date(lastSeenAt.getTime() + offlineAfterMs);
}
