import fs from 'node:fs';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { migrations } from './migrations';

/** How long a SQLite statement waits on another connection's write lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * TypeORM options for the configured database. Never `synchronize`: the schema only changes through migrations,
 * which `runMigrationsLocked` applies. `entities` is the list the caller registers (Nest passes autoLoadEntities).
 */
export function dataSourceOptions(
  database: DatabaseConfig,
  entities: DataSourceOptions['entities'] = [],
): DataSourceOptions {
  const common = {
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    migrationsTableName: 'migrations',
    logging: false,
  } as const;
  switch (database.kind) {
    case 'sqlite':
      return {
        ...common,
        type: 'better-sqlite3',
        database: database.path,
        enableWAL: true,
        timeout: SQLITE_BUSY_TIMEOUT_MS,
        prepareDatabase: (db: { pragma(sql: string): unknown; prepare(sql: string): unknown }) => {
          // TypeORM opens SQLite transactions with a deferred BEGIN (and wraps every save() in one). When another
          // process writes between such a transaction's first read and its first write, SQLite refuses the upgrade
          // at once with "database is locked", without waiting: two hubs (or a hub and a CLI) on one file fail.
          // IMMEDIATE takes the write lock at BEGIN, where busy_timeout applies, so writers queue instead.
          const prepare = db.prepare.bind(db);
          db.prepare = (sql: string) => prepare(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql);
          // FULL: a commit is on disk before we acknowledge it, even across power loss ("durable before
          // acknowledged": plays, uploads, payments). NORMAL would only survive process crashes.
          db.pragma('synchronous = FULL');
          db.pragma('foreign_keys = ON');
        },
        // Migrations manage foreign keys themselves; keep TypeORM's per-migration transaction.
        migrationsTransactionMode: 'each',
      };
    case 'postgres':
      return {
        ...common,
        type: 'postgres',
        url: database.url,
        migrationsTransactionMode: 'each',
        extra: { max: 10, application_name: 'roomtone-hub' },
      };
  }
}

/** Creates the directory that holds a SQLite database file, so a fresh data dir works. */
export function ensureDatabaseDir(database: DatabaseConfig, dataDir: string): void {
  if (database.kind === 'sqlite') fs.mkdirSync(dataDir, { recursive: true });
}

/** An initialised DataSource (no migrations run): for scripts and tests outside Nest. */
export async function openDataSource(
  database: DatabaseConfig,
  dataDir: string,
  entities: DataSourceOptions['entities'] = [],
): Promise<DataSource> {
  ensureDatabaseDir(database, dataDir);
  return new DataSource(dataSourceOptions(database, entities)).initialize();
}
