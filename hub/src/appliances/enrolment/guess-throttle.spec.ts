import { FailureThrottle } from './guess-throttle';

describe('FailureThrottle', () => {
  const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

  it('blocks a key after `limit` failures within the window until the oldest failure leaves it', () => {
    const throttle = new FailureThrottle({ limit: 3, windowMs: 60_000 });
    throttle.fail('1.2.3.4', T0);
    throttle.fail('1.2.3.4', T0 + 10_000);
    expect(throttle.blockedUntil('1.2.3.4', T0 + 10_000)).toBeNull();
    throttle.fail('1.2.3.4', T0 + 20_000);
    expect(throttle.blockedUntil('1.2.3.4', T0 + 20_000)).toEqual(new Date(T0 + 60_000));
    expect(throttle.blockedUntil('1.2.3.4', T0 + 59_999)).toEqual(new Date(T0 + 60_000));
    expect(throttle.blockedUntil('1.2.3.4', T0 + 60_000)).toBeNull();
    expect(throttle.blockedUntil('5.6.7.8', T0 + 20_000)).toBeNull();
  });

  it('stays bounded: the least recently failing key is forgotten first', () => {
    const throttle = new FailureThrottle({ limit: 1, windowMs: 60_000 }, 2);
    throttle.fail('a', T0);
    throttle.fail('b', T0);
    throttle.fail('a', T0 + 1);
    throttle.fail('c', T0 + 2);
    expect(throttle.blockedUntil('b', T0 + 3)).toBeNull();
    expect(throttle.blockedUntil('a', T0 + 3)).not.toBeNull();
    expect(throttle.blockedUntil('c', T0 + 3)).not.toBeNull();
  });
});
