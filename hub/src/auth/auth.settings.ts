import type { WindowLimit } from './throttle/sliding-window-limiter';

/** Name of the HttpOnly cookie holding the session secret. */
export const SESSION_COOKIE = 'roomtone_session';

/** A session ends this long after sign-in however active it is. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60_000;
/** ... and after this long without a request. */
export const SESSION_IDLE_MS = 24 * 60 * 60_000;
/** last_seen_at is written at most this often per session, so reads do not each cost a write. */
export const SESSION_TOUCH_MS = 5 * 60_000;

/**
 * Login attempts allowed per client address: generous enough for an office behind one NAT, tight enough to make
 * spraying many accounts from one address slow.
 */
export const LOGIN_LIMIT_PER_IP: WindowLimit = { limit: 30, windowMs: 5 * 60_000 };
/** Login attempts allowed per account (any address), before the password is even checked. */
export const LOGIN_LIMIT_PER_ACCOUNT: WindowLimit = { limit: 10, windowMs: 5 * 60_000 };

/** Personal API tokens expire after at most this many days (a script's token should be rotated). */
export const API_TOKEN_MAX_DAYS = 366;
