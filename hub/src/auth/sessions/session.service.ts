import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { IdGenerator } from '../../common/ids/id-generator';
import { Clock } from '../../common/time/clock';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, SESSION_TOUCH_MS } from '../auth.settings';
import { csrfTokenFor } from '../csrf/csrf';
import { hashToken, issueToken, looksLikeToken } from '../tokens/secret-token';
import { Session } from './session.entity';

/** A session just opened: the secret for the cookie and the CSRF token for the client, both shown once. */
export interface OpenedSession {
  session: Session;
  token: string;
  csrfToken: string;
}

/** Browser sessions: opening at sign-in, resolving a cookie on each request, closing at sign-out. */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(Session);
  }

  /** Opens a session for `userId`. */
  async open(userId: string, ip: string | null, userAgent: string | null): Promise<OpenedSession> {
    const now = this.clock.now();
    const issued = issueToken('session');
    const session = this.repo.create({
      id: this.ids.next(),
      userId,
      tokenHash: issued.hash,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
      revokedAt: null,
      ip: ip?.slice(0, 64) ?? null,
      userAgent: userAgent?.slice(0, 300) ?? null,
    });
    await this.repo.insert(session);
    return { session, token: issued.token, csrfToken: csrfTokenFor(issued.token) };
  }

  /** The live session whose cookie secret is `token`, or null (unknown, revoked, expired or idle too long). */
  async resolve(token: string): Promise<Session | null> {
    if (!looksLikeToken('session', token)) return null;
    const session = await this.repo.findOneBy({ tokenHash: hashToken(token), revokedAt: IsNull() });
    if (session === null) return null;
    const now = this.clock.now().getTime();
    if (session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + SESSION_IDLE_MS <= now) return null;
    if (now - session.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
      session.lastSeenAt = new Date(now);
      await this.repo.update({ id: session.id }, { lastSeenAt: session.lastSeenAt });
    }
    return session;
  }

  /** Closes one session (sign-out). */
  async revoke(sessionId: string): Promise<void> {
    await this.repo.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** Closes every session of a user (password change, account disabled). */
  async revokeAllOf(userId: string): Promise<void> {
    await this.repo.update({ userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }
}
