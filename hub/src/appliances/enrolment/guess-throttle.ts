/** A failure budget: at most `limit` failures per key within `windowMs`. */
export interface FailureLimit {
  limit: number;
  windowMs: number;
}

/**
 * Counts failed attempts per key over a sliding window, in memory (bounded by `maxKeys`, least recently failed
 * evicted first). Unlike a request limiter it only counts failures, so an installer enrolling many appliances from
 * one address is never slowed down while a guesser is.
 */
export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly rule: FailureLimit,
    private readonly maxKeys = 50_000,
  ) {}

  /** When `key` may try again, or null when it is not blocked. */
  blockedUntil(key: string, nowMs: number): Date | null {
    const recent = this.recent(key, nowMs);
    return recent.length >= this.rule.limit ? new Date(recent[0] + this.rule.windowMs) : null;
  }

  /** Records one failure for `key`. */
  fail(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    this.failures.delete(key);
    this.failures.set(key, recent);
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  private recent(key: string, nowMs: number): number[] {
    const all = this.failures.get(key) ?? [];
    return all.filter((t) => t > nowMs - this.rule.windowMs);
  }
}
