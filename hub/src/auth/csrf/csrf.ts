import { createHmac } from 'node:crypto';
import { secretsEqual } from '../tokens/secret-token';

/** Header a browser client sends the CSRF token back in. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The synchronizer token for a session, derived from the session secret (HMAC) rather than stored: the secret lives
 * only in the HttpOnly cookie, so a page on another origin can neither read it nor compute this value, while the hub
 * can recompute it on every request without a database column.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('roomtone csrf v1').digest('base64url');
}

/** True when `method` can change state, so cookie-authenticated requests need a valid CSRF token. */
export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** True when the header value sent by the client matches the session's token. */
export function csrfTokenMatches(expected: string, sent: string | string[] | undefined): boolean {
  if (typeof sent !== 'string' || sent.length === 0) return false;
  return secretsEqual(expected, sent);
}
