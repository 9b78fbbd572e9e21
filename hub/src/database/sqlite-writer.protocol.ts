import type { Database } from 'better-sqlite3';

/** What the writer thread is started with. */
export interface WriterData {
  path: string;
  busyTimeoutMs: number;
}

/**
 * A procedure the writer thread runs inside the group's transaction, in its own savepoint: synchronous, given the
 * writer's connection and a structured-cloneable input, returning a structured-cloneable result.
 */
export type SqliteProcedure = (db: Database, input: unknown) => unknown;

export type WireJob =
  { kind: 'run'; sql: string; params: unknown[] } | { kind: 'call'; module: string; name: string; input: unknown };

export interface WireBatch {
  id: number;
  jobs: WireJob[];
}

export interface WireError {
  name: string;
  message: string;
  code: string | null;
}

export type WireOutcome = { ok: true; value: unknown } | { ok: false; error: WireError };

export type WireAnswer = { id: number; outcomes: WireOutcome[] } | { id: number; error: WireError };
