import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterFailure, type LockoutState } from '../throttle/lockout-policy';
import { LoginLockout } from './login-lockout.entity';

/**
 * The persisted lockout state of accounts. Failures are counted with one atomic `failed_count + 1` in SQL rather than
 * read-then-write, so concurrent wrong guesses (many requests, or several hubs on one PostgreSQL) are each counted:
 * a read-modify-write would let parallel guesses overwrite each other and slip past the threshold.
 */
@Injectable()
export class LockoutStore {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(LoginLockout);
  }

  /** The account's current state (no row = no failures). */
  async get(userId: string): Promise<LockoutState> {
    const row = await this.repo.findOneBy({ userId });
    return { failedLoginCount: row?.failedCount ?? 0, lockedUntil: row?.lockedUntil ?? null };
  }

  /** Counts one failed sign-in at `now` and applies the lockout policy; returns the state after it. */
  async fail(userId: string, now: Date): Promise<LockoutState> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(LoginLockout)
      .values({ userId, failedCount: 0, lockedUntil: null, updatedAt: now })
      .orIgnore()
      .execute();
    await this.repo
      .createQueryBuilder()
      .update(LoginLockout)
      .set({ failedCount: () => 'failed_count + 1', updatedAt: now })
      .where('user_id = :userId', { userId })
      .execute();
    const row = await this.repo.findOneByOrFail({ userId });
    const next = afterFailure({ failedLoginCount: row.failedCount - 1, lockedUntil: row.lockedUntil }, now);
    if (next.lockedUntil?.getTime() !== row.lockedUntil?.getTime()) {
      // Only if nobody counted another failure meanwhile; that request applies the policy to the newer count.
      await this.repo.update({ userId, failedCount: row.failedCount }, { lockedUntil: next.lockedUntil });
    }
    return next;
  }

  /** Forgets failures and lock (successful sign-in, or an operator's unlock). */
  async clear(userId: string): Promise<void> {
    await this.repo.delete({ userId });
  }
}
