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

/**
 * A signed request's nonce, claimed (inserted into signature_nonces) in the job's own savepoint just before the job:
 * a nonce already there fails the job with {@link NONCE_REPLAYED} and nothing of it is stored; a job that fails
 * otherwise takes the nonce's row back with it. So a request's nonce and its write commit together or not at all.
 */
export interface WireNonce {
  keyId: string;
  nonce: string;
  expiresMs: number;
}

/** Claims a nonce on SQLite: 0 rows changed means it was already there (the writer's claim and DatabaseNonceStore). */
export const CLAIM_NONCE_SQL = 'INSERT OR IGNORE INTO signature_nonces (key_id, nonce, expires_at_ms) VALUES (?, ?, ?)';

/** The error code of a job whose nonce was already claimed (a replayed request). */
export const NONCE_REPLAYED = 'ROOMTONE_NONCE_REPLAYED';

export type WireJob =
  | { kind: 'run'; sql: string; params: unknown[]; nonce?: WireNonce }
  | { kind: 'call'; module: string; name: string; input: unknown; nonce?: WireNonce };

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
