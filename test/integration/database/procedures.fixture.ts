import type { Database } from 'better-sqlite3';

/** Procedures the group-commit test runs on the SQLite writer thread. */
export function insertMany(db: Database, input: unknown): number {
  const { keys } = input as { keys: string[] };
  const insert = db.prepare('INSERT INTO kv (k, v) VALUES (?, ?)');
  for (const k of keys) insert.run(k, `v-${k}`);
  return keys.length;
}

export function insertThenFail(db: Database, input: unknown): never {
  db.prepare('INSERT INTO kv (k, v) VALUES (?, ?)').run((input as { key: string }).key, 'undone');
  throw Object.assign(new Error('procedure refused'), { code: 'TEST_REFUSED' });
}
