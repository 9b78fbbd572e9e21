import fs from 'node:fs/promises';
import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ShutdownState } from './shutdown-state';

const DATABASE_CHECK_TIMEOUT_MS = 2000;

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: { database: CheckResult; dataDir: CheckResult; disk: CheckResult; shutdown: CheckResult };
}

function failure(error: unknown): CheckResult {
  return { ok: false, detail: error instanceof Error ? error.message : String(error) };
}

/** Readiness checks: can the hub serve requests that touch the database and the data directory right now? */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
  ) {}

  async readiness(): Promise<Readiness> {
    const [database, dataDir, disk] = await Promise.all([this.database(), this.dataDirWritable(), this.freeDisk()]);
    const shutdown: CheckResult = this.shutdown.stopping
      ? { ok: false, detail: 'shutting down' }
      : { ok: true, detail: 'serving' };
    const ok = database.ok && dataDir.ok && disk.ok && shutdown.ok;
    return { status: ok ? 'ready' : 'not_ready', checks: { database, dataDir, disk, shutdown } };
  }

  private async database(): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    // A hung connection must make readiness fail, not hang the probe.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${DATABASE_CHECK_TIMEOUT_MS} ms`)),
        DATABASE_CHECK_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return { ok: true, detail: `${this.dataSource.options.type} answers` };
    } catch (error) {
      return failure(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private async dataDirWritable(): Promise<CheckResult> {
    const probe = path.join(this.config.dataDir, `.ready-${process.pid}`);
    try {
      await fs.mkdir(this.config.dataDir, { recursive: true });
      await fs.writeFile(probe, 'ok');
      await fs.rm(probe, { force: true });
      return { ok: true, detail: 'writable' };
    } catch (error) {
      return failure(error);
    }
  }

  private async freeDisk(): Promise<CheckResult> {
    try {
      const stats = await fs.statfs(this.config.dataDir);
      const free = stats.bavail * stats.bsize;
      const mb = (n: number) => `${Math.floor(n / 1024 / 1024)} MB`;
      return free >= this.config.minFreeDiskBytes
        ? { ok: true, detail: `${mb(free)} free` }
        : { ok: false, detail: `${mb(free)} free, below the ${mb(this.config.minFreeDiskBytes)} minimum` };
    } catch (error) {
      return failure(error);
    }
  }
}
