import type { Database, Statement } from 'better-sqlite3';
import { intakeSteps, type IntakeInput, type IntakeOutcome, type Query } from './intake-steps';

/** Prepared statements kept per SQL text (the multi-row INSERT differs by row count: a few dozen at most). */
const STATEMENT_CACHE_SIZE = 64;
const statements = new WeakMap<Database, Map<string, Statement>>();

/**
 * Play intake on SQLite: runs on the hub's SQLite writer thread (GroupCommit.call), inside the group's write
 * transaction and its own savepoint, so the batch is stored with the other requests' writes of that group and
 * acknowledged only after their common commit.
 */
export function intakeSqlite(db: Database, input: unknown): IntakeOutcome {
  const steps = intakeSteps('sqlite', input as IntakeInput);
  let step = steps.next([]);
  while (!step.done) step = steps.next(exec(db, step.value));
  return step.value;
}

function exec(db: Database, query: Query): unknown[] {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(query.sql);
  if (statement === undefined) {
    statement = db.prepare(query.sql);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
    cache.set(query.sql, statement);
  }
  if (query.rows) return statement.all(...query.params);
  statement.run(...query.params);
  return [];
}
