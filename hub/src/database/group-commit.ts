import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SQLITE_BUSY_TIMEOUT_MS } from './data-source';
import type { WireAnswer, WireBatch, WireError, WireJob, WireNonce, WriterData } from './sqlite-writer.protocol';

export { CLAIM_NONCE_SQL, NONCE_REPLAYED, type WireNonce } from './sqlite-writer.protocol';

/** At most this many jobs, and this many procedure calls, per message (the writer groups messages: see its limits). */
const MAX_JOBS = 1_000;
const MAX_CALLS = 1;

/** A write the writer thread refused; `code` is SQLite's (e.g. SQLITE_CONSTRAINT_PRIMARYKEY) when it gave one. */
export class SqliteWriteError extends Error {
  readonly code: string | null;
  constructor(error: WireError) {
    super(error.message);
    this.name = error.name === 'Error' ? 'SqliteWriteError' : error.name;
    this.code = error.code;
  }
}

interface Pending {
  job: WireJob;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the hub's hot SQLite writes (a signed request's nonce, an appliance's check-in status, a batch of
 * plays), on a writer thread with its own connection to the database file.
 *
 * With `synchronous = FULL` every commit waits for an fsync, and better-sqlite3 waits synchronously: done on the
 * event loop, one commit per write caps a hub at a few hundred writes per second and stalls every request behind
 * each fsync. Here, writes queued while a commit is on its way to disk are committed together by the next one, in ONE
 * transaction on the writer thread (sqlite-writer.worker.ts): one fsync for all of them, off the event loop, and each
 * caller's promise settles only after that commit (durable before acknowledged).
 *
 * The writer's connection is a second connection to the file, so SQLite's own locking orders it with everything
 * else: while a TypeORM transaction of this process (BEGIN IMMEDIATE) or another hub process holds the write lock,
 * the writer waits (busy_timeout), and the transaction never sees or undoes the writer's rows. Never await a group
 * commit inside a TypeORM transaction on SQLite: the writer would wait for that transaction's lock until
 * busy_timeout, then fail with SQLITE_BUSY.
 *
 * A constraint violation fails only its own `run` statement; a `call` procedure that throws rolls back alone (it runs
 * in a savepoint); anything else fails the whole group and every caller sees the error. PostgreSQL has its own group
 * commit and a connection pool, so callers use their ordinary queries there (`enabled` is false).
 */
@Injectable()
export class GroupCommit implements OnModuleInit, OnModuleDestroy {
  private readonly path: string | null;
  private worker: Worker | null = null;
  private queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending[]>();
  private scheduled = false;
  private nextId = 1;
  private idle: (() => void)[] = [];

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.path = dataSource.options.type === 'better-sqlite3' ? String(dataSource.options.database) : null;
  }

  /** True on SQLite, where {@link run} and {@link call} are available. */
  get enabled(): boolean {
    return this.path !== null;
  }

  /**
   * Runs one write statement (SQLite `?` placeholders; pass booleans as 0/1, instants as ISO text) in the next group
   * transaction; resolves with the rows it changed once the group is committed. With `nonce`, the request's nonce
   * is claimed first in the same savepoint: a replay rejects with code NONCE_REPLAYED and changes nothing.
   */
  run(sql: string, params: unknown[], nonce?: WireNonce): Promise<number> {
    return this.enqueue({ kind: 'run', sql, params, nonce }) as Promise<number>;
  }

  /**
   * Runs `require(module)[name](db, input)` on the writer thread inside the next group transaction, in its own
   * savepoint, and resolves with its result once the group is committed. `module` is an absolute path (use
   * `require.resolve`); the procedure is synchronous and its input and result are structured-cloneable. With
   * `nonce`, as for {@link run}.
   */
  call<T>(module: string, name: string, input: unknown, nonce?: WireNonce): Promise<T> {
    return this.enqueue({ kind: 'call', module, name, input, nonce }) as Promise<T>;
  }

  /** Resolves when every queued write has been committed (or failed). */
  async drain(): Promise<void> {
    if (this.inFlight.size === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Starts the writer thread with the hub, so the first requests do not wait for it to boot. */
  onModuleInit(): void {
    if (this.path !== null) this.writer().unref();
  }

  async onModuleDestroy(): Promise<void> {
    await this.drain();
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private enqueue(job: WireJob): Promise<unknown> {
    if (this.path === null) return Promise.reject(new Error('GroupCommit is for SQLite; use the repository'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate: writes queued in the same turn of the event loop go to the writer as one message.
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  /**
   * Sends what this turn queued without waiting for earlier groups: the writer takes every message waiting for it
   * into its next transaction, so it never idles while the event loop is busy with other requests.
   */
  private send(): void {
    while (this.queue.length > 0) {
      let calls = 0;
      let n = 0;
      while (n < this.queue.length && n < MAX_JOBS) {
        if (this.queue[n].job.kind === 'call') {
          if (calls === MAX_CALLS) break;
          calls++;
        }
        n++;
      }
      const jobs = this.queue.splice(0, n);
      const batch: WireBatch = { id: this.nextId++, jobs: jobs.map((p) => p.job) };
      this.inFlight.set(batch.id, jobs);
      const worker = this.writer();
      worker.ref();
      worker.postMessage(batch);
    }
  }

  private writer(): Worker {
    if (this.worker !== null) return this.worker;
    const data: WriterData = { path: this.path!, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS };
    const script = path.join(__dirname, `sqlite-writer.worker${path.extname(__filename)}`);
    // From the TypeScript sources (tests, benchmarks), the thread compiles them as the main process does.
    const worker = script.endsWith('.ts')
      ? new Worker(`require(${JSON.stringify(registerTs())}); require(${JSON.stringify(script)});`, {
          eval: true,
          workerData: data,
        })
      : new Worker(script, { workerData: data });
    worker.on('message', (answer: WireAnswer) => this.answered(answer));
    worker.on('error', (error) => this.failed(worker, error));
    worker.on('exit', (code) => this.failed(worker, new Error(`the SQLite writer thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private answered(answer: WireAnswer): void {
    const jobs = this.inFlight.get(answer.id);
    if (jobs === undefined) return;
    this.inFlight.delete(answer.id);
    if ('error' in answer) {
      for (const p of jobs) p.reject(new SqliteWriteError(answer.error));
    } else {
      jobs.forEach((p, i) => {
        const outcome = answer.outcomes[i];
        if (outcome.ok) p.resolve(outcome.value);
        else p.reject(new SqliteWriteError(outcome.error));
      });
    }
    if (this.inFlight.size === 0 && this.queue.length === 0) {
      this.worker?.unref();
      this.settleIdle();
    }
  }

  /** The thread died: what it held is not known to be committed, so its callers get an error; a new thread follows. */
  private failed(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const jobs of this.inFlight.values()) for (const p of jobs) p.reject(error);
    this.inFlight.clear();
    if (this.queue.length > 0) this.send();
    else this.settleIdle();
  }

  private settleIdle(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}

/** test/support/register-ts.js, relative to this file in hub/src/database. */
function registerTs(): string {
  return path.resolve(__dirname, '../../../test/support/register-ts.js');
}
