import { SlidingWindowLimiter } from './sliding-window-limiter';

class FakeClock {
  constructor(public ms: number) {}
  now(): Date {
    return new Date(this.ms);
  }
}

const T0 = Date.parse('2026-11-24T02:00:00.000Z');

describe('SlidingWindowLimiter', () => {
  it('allows `limit` attempts per window, then says exactly when the oldest one expires', () => {
    const clock = new FakeClock(T0);
    const limiter = new SlidingWindowLimiter(clock, { limit: 3, windowMs: 60_000 });
    expect(limiter.take('a')).toEqual({ allowed: true });
    clock.ms += 10_000;
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAt: new Date('2026-11-24T02:01:00.000Z') });
  });

  it('slides: the attempt at T0 stops counting exactly one window later', () => {
    const clock = new FakeClock(T0);
    const limiter = new SlidingWindowLimiter(clock, { limit: 2, windowMs: 60_000 });
    limiter.take('a');
    clock.ms = T0 + 30_000;
    limiter.take('a');
    clock.ms = T0 + 59_999;
    expect(limiter.take('a').allowed).toBe(false);
    clock.ms = T0 + 60_000;
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAt: new Date(T0 + 90_000) });
  });

  it('counts keys independently and forgets a key on reset', () => {
    const clock = new FakeClock(T0);
    const limiter = new SlidingWindowLimiter(clock, { limit: 1, windowMs: 1_000 });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('b').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    limiter.reset('a');
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('bounds memory by evicting the least recently used key', () => {
    const clock = new FakeClock(T0);
    const limiter = new SlidingWindowLimiter(clock, { limit: 1, windowMs: 60_000 }, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.size).toBe(2);
    expect(limiter.take('a').allowed).toBe(true); // 'a' was evicted, so it starts afresh
    expect(limiter.take('c').allowed).toBe(false);
  });

  it('refuses nonsensical limits at construction', () => {
    const clock = new FakeClock(T0);
    expect(() => new SlidingWindowLimiter(clock, { limit: 0, windowMs: 1 })).toThrow(
      'limit must be a positive integer',
    );
    expect(() => new SlidingWindowLimiter(clock, { limit: 1, windowMs: 0 })).toThrow('windowMs must be positive');
  });
});
