/** Timers, injected so tests drive the sync loop without waiting. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** First retry after a failure, and the cap (5 minutes). */
export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_CAP_MS = 300_000;

/** A failing appliance never waits longer than this many of the hub's check-in intervals between attempts. */
export const BACKOFF_CAP_INTERVALS = 10;

/**
 * Delay before retry `attempt` (1 = first retry): exponential from 5 s, capped at 5 min (or at ten check-in
 * intervals when the hub asked for short ones: a hub checking in every 5 s is back in use within 50 s of returning),
 * with "equal jitter" (half fixed, half random) so a venue's appliances that lost the hub together do not come back
 * in lockstep.
 */
export function backoffMs(attempt: number, random: () => number = Math.random, intervalSeconds?: number): number {
  const cap =
    intervalSeconds === undefined
      ? BACKOFF_CAP_MS
      : Math.min(BACKOFF_CAP_MS, Math.max(BACKOFF_BASE_MS, intervalSeconds * 1000 * BACKOFF_CAP_INTERVALS));
  const ceiling = Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The hub's check-in interval with +-20% jitter. */
export function jitteredIntervalMs(intervalSeconds: number, random: () => number = Math.random): number {
  return Math.round(intervalSeconds * 1000 * (0.8 + 0.4 * random()));
}
