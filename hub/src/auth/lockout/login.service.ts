import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { AppError, ErrorCode } from '../../common/errors';
import { Clock } from '../../common/time/clock';
import { User } from '../../tenancy/entities';
import { LOGIN_LIMIT_PER_ACCOUNT, LOGIN_LIMIT_PER_IP } from '../auth.settings';
import { PasswordHasher } from '../password/password-hasher';
import { isLocked, LOCKOUT_THRESHOLD } from '../throttle/lockout-policy';
import { SlidingWindowLimiter } from '../throttle/sliding-window-limiter';
import { LockoutStore } from './lockout.store';

const INVALID = 'wrong e-mail address or password';

function retryDetails(retryAt: Date, now: Date): Record<string, unknown> {
  return {
    retryAt: retryAt.toISOString(),
    retryAfterSeconds: Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000)),
  };
}

/**
 * Checks credentials under three defences: a per-address and a per-account rate limit (in memory, before any
 * hashing, so floods cost us nothing) and a persisted lockout after consecutive failures. Unknown accounts spend the
 * same hashing time as known ones and get the same message, so the endpoint does not reveal who has an account.
 */
@Injectable()
export class LoginService {
  private readonly perIp: SlidingWindowLimiter;
  private readonly perAccount: SlidingWindowLimiter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly lockouts: LockoutStore,
  ) {
    this.perIp = new SlidingWindowLimiter(clock, LOGIN_LIMIT_PER_IP);
    this.perAccount = new SlidingWindowLimiter(clock, LOGIN_LIMIT_PER_ACCOUNT);
  }

  /** The user whose credentials these are; throws RATE_LIMITED, ACCOUNT_LOCKED or INVALID_CREDENTIALS otherwise. */
  async verify(emailInput: string, password: string, ip: string): Promise<User> {
    const email = emailInput.trim().toLowerCase();
    const now = this.clock.now();
    const byIp = this.perIp.take(`ip:${ip}`);
    if (!byIp.allowed) {
      throw new AppError(
        ErrorCode.RateLimited,
        `too many sign-in attempts from your address; try again after ${byIp.retryAt.toISOString()}`,
        retryDetails(byIp.retryAt, now),
      );
    }
    const byAccount = this.perAccount.take(`account:${email}`);
    if (!byAccount.allowed) {
      throw new AppError(
        ErrorCode.RateLimited,
        `too many sign-in attempts for this account; try again after ${byAccount.retryAt.toISOString()}`,
        retryDetails(byAccount.retryAt, now),
      );
    }
    const user = await this.dataSource.getRepository(User).findOneBy({ email });
    if (user === null) {
      await this.hasher.verifyNobody(password);
      throw new AppError(ErrorCode.InvalidCredentials, INVALID);
    }
    const state = await this.lockouts.get(user.id);
    if (isLocked(state, now)) throw this.locked(state.lockedUntil as Date, now);

    const ok = (await this.hasher.verify(user.passwordHash, password)) && !user.disabled;
    if (ok) {
      if (state.failedLoginCount > 0 || state.lockedUntil !== null) await this.lockouts.clear(user.id);
      this.perAccount.reset(`account:${email}`);
      if (this.hasher.needsRehash(user.passwordHash)) {
        await this.dataSource
          .getRepository(User)
          .update({ id: user.id }, { passwordHash: await this.hasher.hash(password), updatedAt: now });
      }
      return user;
    }
    const next = await this.lockouts.fail(user.id, now);
    if (next.lockedUntil !== null && isLocked(next, now)) {
      await this.audit.record(null, {
        action: 'user.locked',
        entityType: 'user',
        entityId: user.id,
        after: { failedLoginCount: next.failedLoginCount, lockedUntil: next.lockedUntil.toISOString() },
      });
      throw this.locked(next.lockedUntil, now);
    }
    throw new AppError(ErrorCode.InvalidCredentials, INVALID);
  }

  private locked(until: Date, now: Date): AppError {
    return new AppError(
      ErrorCode.AccountLocked,
      `this account is locked after ${LOCKOUT_THRESHOLD} failed sign-ins; try again after ${until.toISOString()} or ask an operator`,
      retryDetails(until, now),
    );
  }
}
