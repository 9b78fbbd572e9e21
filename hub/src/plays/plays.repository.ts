import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseNonceStore, type SignedNonce } from '../appliances/signed-requests/database-nonce-store';
import { fromNonceClaim } from '../appliances/signed-requests/signature-errors';
import { GroupCommit } from '../database/group-commit';
import { intakeSteps, type Dialect, type IntakeInput, type IntakeOutcome } from './intake-steps';

/** The SQLite intake procedure the writer thread loads (compiled .js, or .ts when running from sources). */
const INTAKE_SQLITE = require.resolve('./intake-sqlite');

/** Queries of play intake and the play reports; the intake transaction runs here (see intakeSteps). */
@Injectable()
export class PlaysRepository {
  readonly dialect: Dialect;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly commits: GroupCommit,
    private readonly nonces: DatabaseNonceStore,
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /**
   * Runs intake in one transaction with the request's nonce stored first (a replay throws the replay 401 and
   * stores nothing); the answer exists only once the transaction has committed (durable).
   */
  intake(nonce: SignedNonce, input: IntakeInput): Promise<IntakeOutcome> {
    return this.dialect === 'postgres' ? this.intakePostgres(nonce, input) : this.intakeSqlite(nonce, input);
  }

  /**
   * SQLite: intakes are group-committed on the writer thread (GroupCommit): each batch runs in its own savepoint of
   * the group's transaction (one failing intake rolls back alone), and ONE commit, whose fsync (synchronous=FULL)
   * covers every batch and every other hot write of the group, happens off the event loop; each promise settles
   * only after that commit, so nothing is acknowledged before it is durable. BEGIN IMMEDIATE takes the write lock
   * at once (another connection or hub process: busy_timeout applies).
   */
  private intakeSqlite(nonce: SignedNonce, input: IntakeInput): Promise<IntakeOutcome> {
    return this.commits.call<IntakeOutcome>(INTAKE_SQLITE, 'intakeSqlite', input, nonce).catch((error: unknown) => {
      throw fromNonceClaim(error);
    });
  }

  /** PostgreSQL: one connection, one transaction; the appliance's play_sequences row is locked FOR UPDATE first. */
  private async intakePostgres(nonce: SignedNonce, input: IntakeInput): Promise<IntakeOutcome> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
        await this.nonces.claimIn((sql, params) => runner.query(sql, params) as Promise<unknown[]>, nonce);
        const steps = intakeSteps('postgres', input);
        let step = steps.next([]);
        while (!step.done) {
          const rows = (await runner.query(step.value.sql, step.value.params)) as unknown[];
          step = steps.next(step.value.rows ? rows : []);
        }
        await runner.commitTransaction();
        return step.value;
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  async storedThrough(applianceId: string): Promise<number> {
    const rows = await this.dataSource.query<{ stored_through: number | string }[]>(
      `SELECT stored_through FROM play_sequences WHERE appliance_id = ${this.p(1)}`,
      [applianceId],
    );
    return rows.length === 0 ? 0 : Number(rows[0].stored_through);
  }

  /** `$n` on PostgreSQL, `?` on SQLite. */
  p(n: number): string {
    return this.dialect === 'postgres' ? `$${n}` : '?';
  }

  query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.query(sql, params);
  }
}
