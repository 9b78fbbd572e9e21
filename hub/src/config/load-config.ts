import path from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppConfig } from './app-config';
import { EnvSchema } from './env.schema';

/** The environment is invalid; `message` names every bad key and what is expected, on one line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[], raw: Record<string, string>): string[] {
  // Report the text that was set, not the coerced value (PORT=eighty, not NaN).
  return errors.map((e) => {
    const messages = [...new Set(Object.values(e.constraints ?? {}))];
    // Secrets are never echoed: a near-miss key in an error line would be most of the key.
    const got = /SIGNING_KEY|SECRET|PASSWORD|TOKEN/.test(e.property) ? '[redacted]' : JSON.stringify(raw[e.property]);
    return `${messages.join(', ')} (got ${got})`;
  });
}

/**
 * Reads and validates the hub's environment in one place. Empty strings count as unset so that `PORT= npm start`
 * behaves like no PORT at all. Throws ConfigError listing every bad key at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AppConfig {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = plainToInstance(EnvSchema, raw, { excludeExtraneousValues: false });
  const errors = validateSync(parsed, { forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(describe(errors, raw));

  const port = parsed.PORT ?? 3000;
  const dataDir = path.resolve(cwd, parsed.ROOMTONE_DATA_DIR ?? './data');
  return new AppConfig({
    port,
    host: parsed.HOST ?? '0.0.0.0',
    dataDir,
    database: parsed.DATABASE_URL
      ? { kind: 'postgres', url: parsed.DATABASE_URL }
      : { kind: 'sqlite', path: path.join(dataDir, 'roomtone.sqlite') },
    logLevel: parsed.LOG_LEVEL ?? 'info',
    publicUrl: (parsed.ROOMTONE_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    shutdownGraceMs: parsed.ROOMTONE_SHUTDOWN_GRACE_MS ?? 10_000,
    minFreeDiskBytes: (parsed.ROOMTONE_MIN_FREE_DISK_MB ?? 100) * 1024 * 1024,
    demoSeed: (parsed.ROOMTONE_DEMO_SEED ?? 'true') !== 'false',
    demoSeedFeatureSteps: (parsed.ROOMTONE_DEMO_SEED ?? 'true') === 'true',
    maxUploadBytes: (parsed.ROOMTONE_MAX_UPLOAD_MB ?? 500) * 1024 * 1024,
    ingestConcurrency: parsed.ROOMTONE_INGEST_CONCURRENCY ?? 2,
    hubSigningKey: parsed.ROOMTONE_HUB_SIGNING_KEY,
    trackSecret: parsed.ROOMTONE_TRACK_SECRET,
    signatureMaxSkewMs: (parsed.ROOMTONE_SIGNATURE_MAX_SKEW_S ?? 300) * 1000,
    enrolmentCodeTtlMs: (parsed.ROOMTONE_ENROLMENT_CODE_TTL_HOURS ?? 24) * 3_600_000,
    checkinIntervalSeconds: parsed.ROOMTONE_CHECKIN_INTERVAL_SECONDS ?? 60,
    applianceOfflineAfterMs: (parsed.ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS ?? 300) * 1000,
    planHorizonDays: parsed.ROOMTONE_PLAN_HORIZON_DAYS ?? 14,
    planWorkerIntervalMs: parsed.ROOMTONE_PLAN_WORKER_INTERVAL_MS ?? 5000,
  });
}
