import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
}
interface SqliteDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  transaction(fn: () => void): { immediate(): void };
}
interface Job {
  sql: string;
  params: unknown[];
  resolve(changes: number): void;
  reject(error: unknown): void;
}

/**
 * Group commit for small, hot SQLite writes (a signed request's nonce, an appliance's check-in status). With
 * `synchronous = FULL` every commit waits for an fsync, and better-sqlite3 waits on the event loop, so one commit per
 * write caps a hub at a few hundred writes per second however idle its CPU. Writes queued while the loop is busy are
 * committed together, in ONE transaction, on the next turn: one fsync for all of them, each caller's promise settled
 * only after that commit (durable before acknowledged, as before). The transaction runs synchronously from BEGIN to
 * COMMIT, so no other query of this process can interleave with it; while a TypeORM transaction of this process is
 * open on the shared connection the group waits (polling every millisecond) rather than join that transaction and
 * be undone by its rollback.
 *
 * A constraint violation fails only its own statement (the caller sees the error, the others commit); any other
 * error rolls the whole group back and every caller sees it. PostgreSQL has its own group commit and a connection
 * pool, so callers use their ordinary query there (`enabled` is false).
 */
@Injectable()
export class GroupCommit {
  private readonly db: SqliteDatabase | null;
  private readonly statements = new Map<string, SqliteStatement>();
  private queue: Job[] = [];

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.db =
      dataSource.options.type === 'better-sqlite3'
        ? (dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection
        : null;
  }

  /** True on SQLite, where {@link run} is available. */
  get enabled(): boolean {
    return this.db !== null;
  }

  /**
   * Runs one write statement (SQLite `?` placeholders; pass booleans as 0/1, instants as ISO text) in the next group
   * transaction; resolves with the rows it changed once the group is committed.
   */
  run(sql: string, params: unknown[]): Promise<number> {
    if (this.db === null) return Promise.reject(new Error('GroupCommit.run is for SQLite; use the repository'));
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ sql, params, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const db = this.db as SqliteDatabase;
    if (db.inTransaction) {
      setTimeout(() => this.flush(), 1);
      return;
    }
    const jobs = this.queue;
    this.queue = [];
    const outcomes: (number | Error)[] = [];
    try {
      db.transaction(() => {
        for (const job of jobs) {
          try {
            outcomes.push(this.statement(db, job.sql).run(...job.params).changes);
          } catch (error) {
            // SQLite undoes just this statement on a constraint violation; anything else aborts the group.
            if ((error as { code?: unknown }).code?.toString().startsWith('SQLITE_CONSTRAINT')) {
              outcomes.push(error as Error);
            } else {
              throw error;
            }
          }
        }
      }).immediate();
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome instanceof Error) job.reject(outcome);
      else job.resolve(outcome);
    });
  }

  private statement(db: SqliteDatabase, sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
