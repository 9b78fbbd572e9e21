/** Wall-clock time, injected so event timestamps are deterministic in tests. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };
