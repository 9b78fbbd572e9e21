import { Injectable } from '@nestjs/common';
import type { AuthRequest } from './access/http-request';
import { Authenticator } from './access/access.guard';
import type { Principal } from './access/principal';
import { ApiTokenService } from './api-tokens/api-token.service';
import { SESSION_COOKIE } from './auth.settings';
import { readCookie } from './cookies';
import { csrfTokenFor } from './csrf/csrf';
import { PrincipalLoader } from './principal-loader';
import { SessionService } from './sessions/session.service';

/**
 * Identifies the caller: an `Authorization: Bearer` API token wins over the session cookie (scripts never need CSRF
 * tokens); a bearer header that does not resolve means "nobody", never a fallback to the cookie.
 */
@Injectable()
export class RequestAuthenticator extends Authenticator {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: ApiTokenService,
    private readonly principals: PrincipalLoader,
  ) {
    super();
  }

  async authenticate(request: AuthRequest): Promise<Principal | null> {
    const authorization = request.headers.authorization;
    if (typeof authorization === 'string' && authorization.length > 0) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (match === null) return null;
      const token = await this.tokens.resolve(match[1]);
      return token === null ? null : this.principals.load(token.userId, { kind: 'api-token', tokenId: token.id });
    }
    const secret = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (secret === undefined) return null;
    const session = await this.sessions.resolve(secret);
    if (session === null) return null;
    return this.principals.load(session.userId, {
      kind: 'session',
      sessionId: session.id,
      csrfToken: csrfTokenFor(secret),
    });
  }
}
