/** The value of cookie `name` in a Cookie header, or undefined. Only the first occurrence counts. */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const raw = Array.isArray(header) ? header.join('; ') : header;
  if (raw === undefined) return undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Options of the session cookie. */
export interface SessionCookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
}

/**
 * A Set-Cookie value for the session: HttpOnly (no script can read it), SameSite=Lax (not sent on cross-site
 * sub-requests or form posts; unsafe methods additionally need the CSRF token), Secure when the hub is served over
 * https. Lax rather than Strict so following a link to the dashboard from an e-mail keeps the user signed in.
 */
export function sessionCookie(name: string, value: string, options: SessionCookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAgeSeconds}`];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** A Set-Cookie value that deletes the session cookie. */
export function clearedCookie(name: string, secure: boolean): string {
  return sessionCookie(name, '', { secure, maxAgeSeconds: 0 });
}
