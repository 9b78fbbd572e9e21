/** After this many consecutive failed sign-ins an account is locked. */
export const LOCKOUT_THRESHOLD = 5;
/** First lock duration; each further failure while at or over the threshold doubles it, up to the maximum. */
export const LOCKOUT_BASE_MS = 15 * 60_000;
export const LOCKOUT_MAX_MS = 24 * 60 * 60_000;

/** The lockout columns of a user row. */
export interface LockoutState {
  failedLoginCount: number;
  lockedUntil: Date | null;
}

/** True when the account is locked at `now`. */
export function isLocked(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/**
 * The state after one more failed sign-in at `now`: the count grows and, from the threshold on, the account is locked
 * for an exponentially growing time, so a slow guesser gets ever fewer tries per day without locking people out for
 * good.
 */
export function afterFailure(state: LockoutState, now: Date): LockoutState {
  const failedLoginCount = state.failedLoginCount + 1;
  if (failedLoginCount < LOCKOUT_THRESHOLD) return { failedLoginCount, lockedUntil: state.lockedUntil };
  const doublings = Math.min(failedLoginCount - LOCKOUT_THRESHOLD, 16);
  const duration = Math.min(LOCKOUT_BASE_MS * 2 ** doublings, LOCKOUT_MAX_MS);
  return { failedLoginCount, lockedUntil: new Date(now.getTime() + duration) };
}

/** The state after a successful sign-in. */
export function afterSuccess(): LockoutState {
  return { failedLoginCount: 0, lockedUntil: null };
}
