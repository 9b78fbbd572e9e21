/** Something that tells the time; the platform's Clock satisfies it. */
export interface NowSource {
  now(): Date;
}

/** Outcome of asking a limiter for one more attempt. */
export type LimitDecision = { allowed: true } | { allowed: false; retryAt: Date };

/** How many attempts a key may make within a window. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

/**
 * Counts attempts per key over a sliding window (an exact log of at most `limit` instants per key), in memory.
 * In memory is deliberate: login throttling must answer before any database work, and the persistent defence
 * (account lockout) lives on the user row. `maxKeys` bounds memory under a flood of distinct keys by evicting the
 * least recently used key.
 */
export class SlidingWindowLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly clock: NowSource,
    private readonly rule: WindowLimit,
    private readonly maxKeys = 100_000,
  ) {
    if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new Error('limit must be a positive integer');
    if (!(rule.windowMs > 0)) throw new Error('windowMs must be positive');
  }

  /** Records an attempt for `key` if the window still allows it; otherwise says when the next one will be allowed. */
  take(key: string): LimitDecision {
    const now = this.clock.now().getTime();
    const recent = this.recent(key, now);
    if (recent.length >= this.rule.limit) {
      return { allowed: false, retryAt: new Date(recent[0] + this.rule.windowMs) };
    }
    recent.push(now);
    this.remember(key, recent);
    return { allowed: true };
  }

  /** Forgets `key` (after a successful login, the account's failures no longer count). */
  reset(key: string): void {
    this.log.delete(key);
  }

  /** Number of keys held, for tests and metrics. */
  get size(): number {
    return this.log.size;
  }

  private recent(key: string, now: number): number[] {
    const entries = this.log.get(key) ?? [];
    const cutoff = now - this.rule.windowMs;
    let drop = 0;
    while (drop < entries.length && entries[drop] <= cutoff) drop++;
    return drop === 0 ? entries : entries.slice(drop);
  }

  private remember(key: string, entries: number[]): void {
    this.log.delete(key); // re-insert so Map order is least-recently-used first
    this.log.set(key, entries);
    if (this.log.size > this.maxKeys) {
      const oldest = this.log.keys().next();
      if (oldest.done !== true) this.log.delete(oldest.value);
    }
  }
}
