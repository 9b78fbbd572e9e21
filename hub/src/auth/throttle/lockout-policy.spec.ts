import { afterFailure, afterSuccess, isLocked, LOCKOUT_THRESHOLD, type LockoutState } from './lockout-policy';

const NOW = new Date('2026-11-24T02:00:00.000Z');

function fail(times: number, from: LockoutState = afterSuccess()): LockoutState {
  let state = from;
  for (let i = 0; i < times; i++) state = afterFailure(state, NOW);
  return state;
}

describe('lockout policy', () => {
  it('does not lock before the threshold of consecutive failures', () => {
    const state = fail(LOCKOUT_THRESHOLD - 1);
    expect(state).toEqual({ failedLoginCount: 4, lockedUntil: null });
    expect(isLocked(state, NOW)).toBe(false);
  });

  it('locks for 15 minutes at the fifth failure', () => {
    const state = fail(LOCKOUT_THRESHOLD);
    expect(state).toEqual({ failedLoginCount: 5, lockedUntil: new Date('2026-11-24T02:15:00.000Z') });
    expect(isLocked(state, NOW)).toBe(true);
    expect(isLocked(state, new Date('2026-11-24T02:15:00.000Z'))).toBe(false);
  });

  it('doubles the lock with every further failure, capped at 24 hours', () => {
    expect(fail(6).lockedUntil).toEqual(new Date('2026-11-24T02:30:00.000Z'));
    expect(fail(7).lockedUntil).toEqual(new Date('2026-11-24T03:00:00.000Z'));
    expect(fail(40).lockedUntil).toEqual(new Date('2026-11-25T02:00:00.000Z'));
  });

  it('clears failures and lock after a success', () => {
    expect(afterSuccess()).toEqual({ failedLoginCount: 0, lockedUntil: null });
  });
});
