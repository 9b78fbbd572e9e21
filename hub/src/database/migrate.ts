import Database from 'better-sqlite3';
import type { DataSource, Migration } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';

// pg_advisory_lock key: any fixed 64-bit number unique to "Roomtone schema migrations" within the database.
const PG_MIGRATION_LOCK_KEY = 7_243_190_118_301;
// A second hub waits this long for the first one's migrations before giving up.
const LOCK_WAIT_MS = 120_000;

/** Optional observer, so boot can log what was applied. */
export type MigrationLog = (message: string, fields?: Record<string, unknown>) => void;

async function withPostgresLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  // A session-level advisory lock on a dedicated connection: released when we unlock, or by PostgreSQL if this
  // process dies mid-migration, so a crash never leaves the database locked.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SET lock_timeout = ${LOCK_WAIT_MS}`);
    await runner.query('SELECT pg_advisory_lock($1)', [PG_MIGRATION_LOCK_KEY]);
    try {
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

async function withSqliteLock<T>(databasePath: string, work: () => Promise<T>): Promise<T> {
  // An exclusive transaction on a side file: SQLite's own file lock, released by the OS if this process dies.
  // The side file keeps the lock off the main database, which the migrations themselves must write to.
  const lock = new Database(`${databasePath}.migrate-lock`, { timeout: LOCK_WAIT_MS });
  try {
    lock.exec('BEGIN EXCLUSIVE');
    try {
      return await work();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}

/**
 * Applies pending migrations, one transaction each, while holding a lock that every hub takes before migrating,
 * so hubs starting together on one database neither race nor fail: the second waits, then finds nothing to do.
 * Returns the migrations applied by this call.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  database: DatabaseConfig,
  log: MigrationLog = () => undefined,
): Promise<Migration[]> {
  const work = async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) log('migration applied', { migration: m.name });
    return applied;
  };
  switch (database.kind) {
    case 'postgres':
      return withPostgresLock(dataSource, work);
    case 'sqlite':
      return withSqliteLock(database.path, work);
  }
}
