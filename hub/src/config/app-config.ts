import type { LogLevel } from './env.schema';

/** Which database the hub runs on. */
export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * The hub's validated configuration. Injected by class token everywhere (`constructor(private config: AppConfig)`);
 * tests override it with `overrideProvider(AppConfig).useValue(...)`.
 */
export class AppConfig {
  readonly port!: number;
  readonly host!: string;
  /** Absolute path: database (SQLite), media, the hub's keys. */
  readonly dataDir!: string;
  readonly database!: DatabaseConfig;
  readonly logLevel!: LogLevel;
  /** Where users reach the hub; printed by the demo seed. */
  readonly publicUrl!: string;
  /** How long in-flight requests may run after SIGTERM before their connections are cut. */
  readonly shutdownGraceMs!: number;
  /** Readiness fails when the data dir's file system has less free space than this. */
  readonly minFreeDiskBytes!: number;
  /** Seed demo data into an empty database at boot. */
  readonly demoSeed!: boolean;
  /** Also run the features' demo steps (e.g. generated tracks); false for ROOMTONE_DEMO_SEED=core. */
  readonly demoSeedFeatureSteps!: boolean;
  /** Largest master upload accepted, in bytes (ROOMTONE_MAX_UPLOAD_MB, default 500 MB). */
  readonly maxUploadBytes!: number;
  /** Ingest jobs (ffmpeg runs) allowed at once (ROOMTONE_INGEST_CONCURRENCY, default 2). */
  readonly ingestConcurrency!: number;
  /** The hub's Ed25519 seed (base64url) when configured; otherwise the key lives in dataDir. Never logged. */
  readonly hubSigningKey?: string;
  /** The secret track keys derive from (ROOMTONE_TRACK_SECRET, base64url) when configured; else in dataDir. Never logged. */
  readonly trackSecret?: string;
  /** Largest clock skew accepted on appliance signatures (ROOMTONE_SIGNATURE_MAX_SKEW_S, default 300 s). */
  readonly signatureMaxSkewMs!: number;
  /** How long a new enrolment code stays valid (ROOMTONE_ENROLMENT_CODE_TTL_HOURS, default 24 h). */
  readonly enrolmentCodeTtlMs!: number;
  /** How often appliances are told to check in (ROOMTONE_CHECKIN_INTERVAL_SECONDS, default 60 s). */
  readonly checkinIntervalSeconds!: number;
  /** An appliance is offline after this long without a check-in (ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS, 300 s). */
  readonly applianceOfflineAfterMs!: number;
  /** Plans cover this many days from compilation (ROOMTONE_PLAN_HORIZON_DAYS, default 14). */
  readonly planHorizonDays!: number;
  /** How often the plan worker runs (ROOMTONE_PLAN_WORKER_INTERVAL_MS, default 5000; 0: never by itself). */
  readonly planWorkerIntervalMs!: number;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}
