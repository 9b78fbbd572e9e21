import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError, ErrorCode } from '../common/errors';
import { Organisation } from '../tenancy/entities';
import type { MembershipRole } from '../tenancy/roles';
import type { Principal } from './access/principal';
import { LoginService } from './lockout/login.service';
import { SessionService } from './sessions/session.service';

/** The signed-in user as GET /auth/me shows them. */
export interface MeView {
  id: string;
  email: string;
  displayName: string;
  isOperator: boolean;
  memberships: { organisationId: string; organisationName: string; kind: string; role: MembershipRole }[];
  installerVenueIds: string[];
  authenticatedWith: 'session' | 'api-token';
}

/** Result of a sign-in: the cookie secret (never in the body) and what the client may see. */
export interface SignedIn {
  sessionToken: string;
  body: { csrfToken: string; expiresAt: string; user: { id: string; email: string; displayName: string } };
}

/** Sign-in, sign-out and "who am I". */
@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {}

  /** Checks the credentials and opens a session. */
  async signIn(email: string, password: string, ip: string, userAgent: string | null): Promise<SignedIn> {
    const user = await this.login.verify(email, password, ip);
    const opened = await this.sessions.open(user.id, ip, userAgent);
    return {
      sessionToken: opened.token,
      body: {
        csrfToken: opened.csrfToken,
        expiresAt: opened.session.expiresAt.toISOString(),
        user: { id: user.id, email: user.email, displayName: user.displayName },
      },
    };
  }

  /** Closes the caller's session; API-token callers have none (revoke the token instead). */
  async signOut(principal: Principal): Promise<void> {
    if (principal.credential.kind === 'session') await this.sessions.revoke(principal.credential.sessionId);
  }

  /** The CSRF token of the caller's session, for a page that lost it (e.g. after a reload). */
  csrf(principal: Principal): { csrfToken: string } {
    if (principal.credential.kind !== 'session') {
      throw new AppError(ErrorCode.BadRequest, 'API-token requests need no CSRF token; only browser sessions do');
    }
    return { csrfToken: principal.credential.csrfToken };
  }

  /** Who the caller is and which organisations they see, in which roles. */
  async me(principal: Principal): Promise<MeView> {
    const ids = principal.memberships.map((m) => m.organisationId);
    const organisations = ids.length ? await this.dataSource.getRepository(Organisation).findBy({ id: In(ids) }) : [];
    const byId = new Map(organisations.map((o) => [o.id, o]));
    return {
      id: principal.userId,
      email: principal.email,
      displayName: principal.displayName,
      isOperator: principal.isOperator,
      memberships: principal.memberships.map((m) => ({
        organisationId: m.organisationId,
        organisationName: byId.get(m.organisationId)?.name ?? '',
        kind: byId.get(m.organisationId)?.kind ?? '',
        role: m.role,
      })),
      installerVenueIds: [...principal.installerVenueIds],
      authenticatedWith: principal.credential.kind,
    };
  }
}
