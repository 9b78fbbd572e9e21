/**
 * The SQLite writer thread (started by GroupCommit): its own connection to the hub's database file, one write
 * transaction per batch of jobs the main thread sends, committed with synchronous = FULL. The fsync happens here, so
 * the hub's event loop keeps serving requests while a commit is on its way to disk.
 *
 * Messages that arrive while a transaction commits wait on the port; the next transaction takes them all (up to the
 * limits below), so one fsync covers every write that queued meanwhile. A batch is `{ id, jobs }`, answered by
 * `{ id, outcomes }` (one per job, in order) once its transaction has committed, or by `{ id, error }` when the whole
 * transaction failed (nothing of it is stored). Jobs:
 * - `run`: one statement; a constraint violation fails only that job (SQLite undoes just the statement).
 * - `call`: `require(module)[name](db, input)` inside a savepoint: a throwing procedure rolls back alone.
 * Either may carry a signed request's nonce, claimed in the same savepoint first (WireNonce).
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  CLAIM_NONCE_SQL,
  NONCE_REPLAYED,
  type SqliteProcedure,
  type WireBatch,
  type WireError,
  type WireJob,
  type WireNonce,
  type WireOutcome,
  type WriterData,
} from './sqlite-writer.protocol';

const data = workerData as WriterData;
const db = new Database(data.path, { timeout: data.busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');

/** At most this many messages, and about this many procedure calls, per transaction (keeps each one short). */
const MAX_MESSAGES = 64;
const MAX_CALLS = 4;

const statements = new Map<string, Database.Statement>();
const procedures = new Map<string, SqliteProcedure>();

function statement(sql: string): Database.Statement {
  let prepared = statements.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}

function procedure(module: string, name: string): SqliteProcedure {
  const key = `${module}#${name}`;
  let fn = procedures.get(key);
  if (fn === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(module) as Record<string, unknown>;
    if (typeof loaded[name] !== 'function') throw new Error(`${module} exports no function ${name}`);
    fn = loaded[name] as SqliteProcedure;
    procedures.set(key, fn);
  }
  return fn;
}

function wireError(error: unknown): WireError {
  const e = error as { message?: unknown; code?: unknown; name?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: typeof e.message === 'string' ? e.message : String(error),
    code: typeof e.code === 'string' ? e.code : null,
  };
}

function isConstraint(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

/** Structured clone turns Buffers into Uint8Arrays, which better-sqlite3 does not bind: give them back. */
function bindable(params: unknown[]): unknown[] {
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p) : p));
}

/** Thrown inside a job's savepoint when its nonce was already claimed: the savepoint takes everything back. */
class NonceReplayed extends Error {
  readonly code = NONCE_REPLAYED;
  constructor() {
    super('nonce already used: this request is a replay');
    this.name = 'NonceReplayed';
  }
}

function claim(nonce: WireNonce | undefined): void {
  if (nonce !== undefined && statement(CLAIM_NONCE_SQL).run(nonce.keyId, nonce.nonce, nonce.expiresMs).changes === 0) {
    throw new NonceReplayed();
  }
}

/** One job: a statement (in a savepoint only when it claims a nonce) or a procedure in its savepoint. */
function runJob(job: WireJob): unknown {
  if (job.kind === 'run') {
    if (job.nonce === undefined) return statement(job.sql).run(...bindable(job.params)).changes;
    return db.transaction(() => {
      claim(job.nonce);
      return statement(job.sql).run(...bindable(job.params)).changes;
    })();
  }
  const fn = procedure(job.module, job.name);
  return db.transaction(() => {
    claim(job.nonce);
    return fn(db, job.input);
  })();
}

function calls(batch: WireBatch): number {
  return batch.jobs.reduce((n, job) => n + (job.kind === 'call' ? 1 : 0), 0);
}

function commit(batches: WireBatch[]): void {
  const outcomes: WireOutcome[][] = [];
  try {
    db.transaction(() => {
      for (const batch of batches) {
        const answers: WireOutcome[] = [];
        outcomes.push(answers);
        for (const job of batch.jobs) {
          try {
            answers.push({ ok: true, value: runJob(job) });
          } catch (error) {
            // A statement's constraint violation, a replayed nonce or a throwing procedure fail that job alone (their
            // savepoint, or SQLite for a lone statement, undid it); anything else fails the group.
            if (job.kind === 'run' && !isConstraint(error) && !(error instanceof NonceReplayed)) throw error;
            answers.push({ ok: false, error: wireError(error) });
          }
        }
      }
    }).immediate();
  } catch (error) {
    const failure = wireError(error);
    for (const batch of batches) parentPort!.postMessage({ id: batch.id, error: failure });
    return;
  }
  batches.forEach((batch, i) => parentPort!.postMessage({ id: batch.id, outcomes: outcomes[i] }));
}

parentPort!.on('message', (first: WireBatch) => {
  const batches = [first];
  let procedureCalls = calls(first);
  while (batches.length < MAX_MESSAGES && procedureCalls < MAX_CALLS) {
    const next = receiveMessageOnPort(parentPort!);
    if (next === undefined) break;
    const batch = next.message as WireBatch;
    batches.push(batch);
    procedureCalls += calls(batch);
  }
  commit(batches);
});
