import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Kinds of bearer secrets the hub issues; the prefix makes a leaked token recognisable (and greppable by scanners). */
export type SecretTokenKind = 'session' | 'api';

const PREFIX: Record<SecretTokenKind, string> = { session: 'rts_', api: 'rtp_' };
const SECRET_BYTES = 32;
const BODY = /^[A-Za-z0-9_-]{43}$/;

/** A freshly issued secret: `token` goes to the client once; only `hash` is stored. */
export interface IssuedToken {
  token: string;
  hash: string;
  /** The first characters of the token, stored in clear so people can tell their tokens apart in listings. */
  hint: string;
}

/** Random bytes source, injected so tests can issue predictable tokens. */
export type RandomBytes = (size: number) => Buffer;

/**
 * Issues a 256-bit random token. A fast hash (SHA-256) is enough at rest because the secret has full entropy: unlike
 * passwords, it cannot be guessed from a dictionary, so a slow KDF would only slow every request down.
 */
export function issueToken(kind: SecretTokenKind, random: RandomBytes = randomBytes): IssuedToken {
  const token = PREFIX[kind] + random(SECRET_BYTES).toString('base64url');
  return { token, hash: hashToken(token), hint: token.slice(0, PREFIX[kind].length + 6) };
}

/** The at-rest form of a token (hex SHA-256), used for lookups by equality. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `token` is syntactically a token of `kind`; checked before any database lookup. */
export function looksLikeToken(kind: SecretTokenKind, token: string): boolean {
  return token.startsWith(PREFIX[kind]) && BODY.test(token.slice(PREFIX[kind].length));
}

/** Constant-time string comparison for secrets of possibly different lengths. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
