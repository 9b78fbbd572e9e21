import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Database, Statement } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { intakeSteps, type Dialect, type IntakeInput, type IntakeOutcome, type Query } from './intake-steps';

/** Prepared statements kept per SQL text (the multi-row INSERT differs by row count: a few dozen at most). */
const STATEMENT_CACHE_SIZE = 64;
/** At most this many batches per SQLite group commit (keeps one write transaction short). */
const MAX_GROUP = 16;

/** Queries of play intake and the play reports; the intake transaction runs here (see intakeSteps). */
@Injectable()
export class PlaysRepository {
  readonly dialect: Dialect;
  private readonly statements = new Map<string, Statement>();
  private readonly queue: {
    input: IntakeInput;
    resolve: (outcome: IntakeOutcome) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private flushing = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /** Runs intake in one transaction; the answer exists only once the transaction has committed (durable). */
  intake(input: IntakeInput): Promise<IntakeOutcome> {
    return this.dialect === 'postgres' ? this.intakePostgres(input) : this.intakeSqlite(input);
  }

  /**
   * SQLite: intakes are group-committed. Each request's intake joins a queue; the queue is written by one
   * transaction (each intake in its own SAVEPOINT, so one failing intake rolls back alone) and ONE commit, whose
   * fsync (synchronous=FULL) then covers every batch in it; every promise settles only after that commit, so nothing
   * is acknowledged before it is durable. The transaction runs synchronously on the raw better-sqlite3 connection, so
   * no other statement of this process can slip into it (TypeORM shares the one connection and would nest a
   * concurrent transaction in ours), and BEGIN IMMEDIATE takes the write lock at once (another process on the file:
   * busy_timeout applies). If a TypeORM transaction is open on the connection, the flush waits for it to end.
   */
  private intakeSqlite(input: IntakeInput): Promise<IntakeOutcome> {
    return new Promise<IntakeOutcome>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    // setImmediate: requests parsed in the same turn of the event loop join this group.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const db = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    while (db.inTransaction) await new Promise((resolve) => setImmediate(resolve));
    const group = this.queue.splice(0, MAX_GROUP);
    const results: ({ ok: true; value: IntakeOutcome } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const item of group) {
          try {
            results.push({ ok: true, value: db.transaction(() => this.runSqlite(db, item.input))() });
          } catch (error) {
            results.push({ ok: false, error });
          }
        }
      }).immediate();
    } catch (error) {
      // The commit itself failed: nothing of this group is durable.
      for (const item of group) item.reject(error);
      return;
    } finally {
      this.flushing = false;
      this.scheduleFlush();
    }
    group.forEach((item, i) => {
      const result = results[i];
      if (result.ok) item.resolve(result.value);
      else item.reject(result.error);
    });
  }

  private runSqlite(db: Database, input: IntakeInput): IntakeOutcome {
    const steps = intakeSteps('sqlite', input);
    let step = steps.next([]);
    while (!step.done) step = steps.next(this.execSqlite(db, step.value));
    return step.value;
  }

  private execSqlite(db: Database, query: Query): unknown[] {
    let statement = this.statements.get(query.sql);
    if (statement === undefined) {
      statement = db.prepare(query.sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      this.statements.set(query.sql, statement);
    }
    if (query.rows) return statement.all(...query.params);
    statement.run(...query.params);
    return [];
  }

  /** PostgreSQL: one connection, one transaction; the appliance's play_sequences row is locked FOR UPDATE first. */
  private async intakePostgres(input: IntakeInput): Promise<IntakeOutcome> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
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
