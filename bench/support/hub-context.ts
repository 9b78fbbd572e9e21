// What the in-process hub benchmarks (bench/plans, bench/programmes) share: deterministic ids, a measured step, a
// hub application context on a fresh SQLite data dir, and fast seeding with multi-row INSERTs.
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../hub/src/app.module';

/** A UUID v7-shaped id derived from (kind, i): the same seed rows in every run. */
export const uuid = (kind: number, i: number): string => {
  const hex = createHash('sha256').update(`${kind}:${i}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Wall and CPU time of one step. */
export async function measure<T>(fn: () => Promise<T> | T): Promise<{ result: T; wallMs: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { result, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** Rows into `table`, as many per statement as SQLite's parameter limit allows, in one transaction. */
export async function insertRows(ds: DataSource, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  await ds.transaction(async (m) => {
    for (let i = 0; i < rows.length; i += perStatement) {
      const part = rows.slice(i, i + perStatement);
      const values = part.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
      await m.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, part.flat());
    }
  });
}

/**
 * The hub's modules (no HTTP) on a fresh SQLite database in a temporary data dir: no demo seed, no plan worker
 * (the benchmark calls what it measures itself). `close()` stops the hub and deletes the data dir.
 */
export async function hubContext(name: string): Promise<{ app: INestApplicationContext; close(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `roomtone-bench-${name}-`));
  Object.assign(process.env, {
    ROOMTONE_DATA_DIR: dataDir,
    ROOMTONE_DEMO_SEED: 'false',
    ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0',
    LOG_LEVEL: 'error',
  });
  delete process.env.DATABASE_URL;
  // AppConfig reads the environment when the application is created, not at import.
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  return {
    app,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
