import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { NonceStore } from '@roomtone/provisioning';
import { LessThan, type Repository } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { CLAIM_NONCE_SQL, GroupCommit, type WireNonce } from '../../database/group-commit';
import { SignatureNonce } from '../entities/signature-nonce.entity';
import { isUniqueViolation } from '../zone-lock';
import { nonceReplayed } from './signature-errors';

/**
 * A verified request's nonce that its handler stores with its own write (routes marked `@NonceStoredWithWrite()`):
 * the nonce and the write commit in one transaction, and a replay racing the original fails at that write.
 */
export type SignedNonce = WireNonce;

/** Runs one SQL statement inside the caller's PostgreSQL transaction and returns its rows. */
export type TransactionQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

/** How often expired nonces are deleted. They are harmless meanwhile: the skew check refuses their requests. */
const CLEANUP_INTERVAL_MS = 60_000;
/**
 * SQLite: expired nonces are deleted this many per statement, each its own group-commit job on the writer thread, so
 * a sweep never holds the write lock (nor, as before, the event loop) for long: at 1,000 check-ins/s a minute leaves
 * 60,000 rows, whose single DELETE stalled every request for hundreds of milliseconds.
 */
export const SWEEP_CHUNK = 2_000;

/**
 * Replay protection shared by every hub process: a nonce is accepted once per key because the table's primary key
 * refuses a second insert, whichever hub receives the replay. Rows expire when their request would fail the skew
 * check anyway, and are swept every minute.
 */
@Injectable()
export class DatabaseNonceStore implements NonceStore, OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(SignatureNonce) private readonly repo: Repository<SignatureNonce>,
    private readonly clock: Clock,
    private readonly commits: GroupCommit,
  ) {}

  /** See NonceStore.remember: false when (keyId, nonce) was already accepted. */
  async remember(keyId: string, nonce: string, _createdMs: number, expiresMs: number): Promise<boolean> {
    if (this.commits.enabled) {
      // SQLite: committed with the other requests' nonces of this turn (one fsync); 0 rows = already there.
      const inserted = await this.commits.run(CLAIM_NONCE_SQL, [keyId, nonce, expiresMs]);
      return inserted === 1;
    }
    try {
      await this.repo.insert({ keyId, nonce, expiresAtMs: expiresMs });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * For routes that store the nonce with their write: a NonceStore that stores nothing and hands the nonce to `keep`.
   * The handler must pass it to its write ({@link GroupCommit.run}/{@link GroupCommit.call} on SQLite, {@link claimIn}
   * on PostgreSQL), which refuses a replay, whether of a request that went through long ago or of one racing it. No
   * read first: a replay is rare, and it changes nothing either way (one read less on every check-in).
   */
  deferred(keep: (nonce: SignedNonce) => void): NonceStore {
    return {
      remember: (keyId, nonce, _createdMs, expiresMs) => {
        keep({ keyId, nonce, expiresMs });
        return true;
      },
    };
  }

  /** PostgreSQL: claims the nonce inside the caller's transaction; throws the replay 401 when it is already there. */
  async claimIn(query: TransactionQuery, nonce: SignedNonce): Promise<void> {
    const rows = await query(
      'INSERT INTO signature_nonces (key_id, nonce, expires_at_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key_id',
      [nonce.keyId, nonce.nonce, nonce.expiresMs],
    );
    if (rows.length === 0) throw nonceReplayed();
  }

  /** Deletes nonces whose requests can no longer pass the skew check; returns how many. */
  async sweep(): Promise<number> {
    const now = this.clock.now().getTime();
    if (!this.commits.enabled) {
      const result = await this.repo.delete({ expiresAtMs: LessThan(now) });
      return result.affected ?? 0;
    }
    let total = 0;
    for (;;) {
      const deleted = await this.commits.run(
        'DELETE FROM signature_nonces WHERE rowid IN ' +
          '(SELECT rowid FROM signature_nonces WHERE expires_at_ms < ? LIMIT ?)',
        [now, SWEEP_CHUNK],
      );
      total += deleted;
      if (deleted < SWEEP_CHUNK) return total;
    }
  }

  onModuleInit(): void {
    this.timer = setInterval(() => {
      // A failed sweep is retried next minute; it must never crash the hub.
      this.sweep().catch(() => undefined);
    }, CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
