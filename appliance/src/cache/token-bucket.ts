/** Milliseconds on a steady clock, and a way to wait: injected so tests account for time without sleeping. */
export interface Timing {
  nowMs(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A bandwidth cap: a token bucket of `bytesPerSecond`, holding at most one second's worth (the largest burst).
 * `take(n)` waits until n bytes may pass; bytes taken over any window of t seconds are at most rate * (t + 1).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly bytesPerSecond: number,
    private readonly timing: Timing,
  ) {
    if (!(bytesPerSecond > 0)) throw new Error(`bandwidth cap must be positive, got ${bytesPerSecond}`);
    this.tokens = bytesPerSecond;
    this.last = timing.nowMs();
  }

  /** Waits until `bytes` may be sent (a piece larger than the bucket waits for its whole size at the rate). */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    this.refill();
    this.tokens -= bytes;
    if (this.tokens < 0) {
      const waitMs = Math.ceil((-this.tokens / this.bytesPerSecond) * 1000);
      await this.timing.sleep(waitMs, signal);
      this.refill();
    }
  }

  private refill(): void {
    const now = this.timing.nowMs();
    this.tokens = Math.min(this.bytesPerSecond, this.tokens + ((now - this.last) / 1000) * this.bytesPerSecond);
    this.last = now;
  }
}

/** Real time: performance.now() and setTimeout. */
export const realTiming: Timing = {
  nowMs: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
