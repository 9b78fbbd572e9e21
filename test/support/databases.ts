import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database an integration suite runs against. */
export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * The databases to run a suite on: SQLite always; PostgreSQL when ROOMTONE_TEST_DATABASE_URL is set (locally:
 * `. test/support/start-postgres.sh`). Under CI=true PostgreSQL is mandatory: `freshDatabase('postgres')` throws.
 */
export function databaseKinds(): DatabaseKind[] {
  return process.env.ROOMTONE_TEST_DATABASE_URL || process.env.CI === 'true' ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A database of its own for one suite or test, and how to reach it. */
export interface FreshDatabase {
  kind: DatabaseKind;
  /** Data directory (always a fresh temp dir; holds the SQLite file for kind sqlite). */
  dataDir: string;
  /** Set for PostgreSQL: pass as DATABASE_URL. */
  databaseUrl?: string;
  /** Environment for a hub process using this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.ROOMTONE_TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'PostgreSQL is required by this suite: run `. test/support/start-postgres.sh` (exports ROOMTONE_TEST_DATABASE_URL)',
    );
  }
  return url;
}

/**
 * Creates an empty database: a temp data dir for SQLite; for PostgreSQL, a new database named roomtone_t_<random> on
 * the test server (dropped by `drop()`), so no test sees another's rows.
 */
export async function freshDatabase(kind: DatabaseKind): Promise<FreshDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roomtone-hub-'));
  if (kind === 'sqlite') {
    return {
      kind,
      dataDir,
      env: { ROOMTONE_DATA_DIR: dataDir },
      drop: () => Promise.resolve(fs.rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  const admin = adminUrl();
  const name = `roomtone_t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind,
    dataDir,
    databaseUrl,
    env: { ROOMTONE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    drop: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      const c = new Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
