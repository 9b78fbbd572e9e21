/** Source of the current time, injected so that expiry, skew and replay rules are testable without waiting. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The machine's own clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still at `ms` until moved; for tests and for replaying recorded traffic. */
export class FixedClock implements Clock {
  constructor(private ms: number) {}

  /** The instant this clock shows. */
  now(): number {
    return this.ms;
  }

  /** Moves the clock by `deltaMs` (negative moves it back). */
  advance(deltaMs: number): void {
    this.ms += deltaMs;
  }
}
