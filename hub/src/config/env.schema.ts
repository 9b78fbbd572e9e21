import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/** Log levels the hub understands, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The environment variables the hub reads, as validated at boot. Every key the hub reads is declared here so that
 * `loadConfig` can name each bad one in a single message.
 */
export class EnvSchema {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'PORT must be an integer between 0 and 65535' })
  @Min(0, { message: 'PORT must be an integer between 0 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 0 and 65535' })
  PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'HOST must be a host name or address to listen on, e.g. 0.0.0.0' })
  HOST?: string;

  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'ROOMTONE_DATA_DIR must be a directory path (default ./data)' })
  ROOMTONE_DATA_DIR?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message:
      'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/db (unset it for SQLite)',
  })
  DATABASE_URL?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, {
    message: 'ROOMTONE_PUBLIC_URL must be an http(s) URL such as https://hub.example.com',
  })
  ROOMTONE_PUBLIC_URL?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_SHUTDOWN_GRACE_MS must be an integer number of milliseconds (1000 to 600000)' })
  @Min(1000, { message: 'ROOMTONE_SHUTDOWN_GRACE_MS must be an integer number of milliseconds (1000 to 600000)' })
  @Max(600_000, { message: 'ROOMTONE_SHUTDOWN_GRACE_MS must be an integer number of milliseconds (1000 to 600000)' })
  ROOMTONE_SHUTDOWN_GRACE_MS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_MIN_FREE_DISK_MB must be a whole number of megabytes >= 0' })
  @Min(0, { message: 'ROOMTONE_MIN_FREE_DISK_MB must be a whole number of megabytes >= 0' })
  ROOMTONE_MIN_FREE_DISK_MB?: number;

  @IsOptional()
  @IsIn(['true', 'false', 'core'], {
    message: 'ROOMTONE_DEMO_SEED must be true, false or core (demo users and venue without feature extras)',
  })
  ROOMTONE_DEMO_SEED?: 'true' | 'false' | 'core';

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_MAX_UPLOAD_MB must be a whole number of megabytes (1 to 10000)' })
  @Min(1, { message: 'ROOMTONE_MAX_UPLOAD_MB must be a whole number of megabytes (1 to 10000)' })
  @Max(10_000, { message: 'ROOMTONE_MAX_UPLOAD_MB must be a whole number of megabytes (1 to 10000)' })
  ROOMTONE_MAX_UPLOAD_MB?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_INGEST_CONCURRENCY must be a whole number of parallel ingest jobs (1 to 32)' })
  @Min(1, { message: 'ROOMTONE_INGEST_CONCURRENCY must be a whole number of parallel ingest jobs (1 to 32)' })
  @Max(32, { message: 'ROOMTONE_INGEST_CONCURRENCY must be a whole number of parallel ingest jobs (1 to 32)' })
  ROOMTONE_INGEST_CONCURRENCY?: number;

  // Trust layer (hub/src/trust, hub/src/appliances).
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, {
    message:
      'ROOMTONE_HUB_SIGNING_KEY must be a base64url Ed25519 seed of 32 bytes (43 characters); unset it to keep the key in ROOMTONE_DATA_DIR',
  })
  ROOMTONE_HUB_SIGNING_KEY?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, {
    message:
      'ROOMTONE_TRACK_SECRET must be base64url of 32 bytes (43 characters); unset it to keep the secret in ROOMTONE_DATA_DIR/track-secret',
  })
  ROOMTONE_TRACK_SECRET?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_SIGNATURE_MAX_SKEW_S must be a whole number of seconds (10 to 3600)' })
  @Min(10, { message: 'ROOMTONE_SIGNATURE_MAX_SKEW_S must be a whole number of seconds (10 to 3600)' })
  @Max(3600, { message: 'ROOMTONE_SIGNATURE_MAX_SKEW_S must be a whole number of seconds (10 to 3600)' })
  ROOMTONE_SIGNATURE_MAX_SKEW_S?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_ENROLMENT_CODE_TTL_HOURS must be a whole number of hours (1 to 168)' })
  @Min(1, { message: 'ROOMTONE_ENROLMENT_CODE_TTL_HOURS must be a whole number of hours (1 to 168)' })
  @Max(168, { message: 'ROOMTONE_ENROLMENT_CODE_TTL_HOURS must be a whole number of hours (1 to 168)' })
  ROOMTONE_ENROLMENT_CODE_TTL_HOURS?: number;

  // Appliance API (hub/src/appliance-api).
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_CHECKIN_INTERVAL_SECONDS must be a whole number of seconds (5 to 3600)' })
  @Min(5, { message: 'ROOMTONE_CHECKIN_INTERVAL_SECONDS must be a whole number of seconds (5 to 3600)' })
  @Max(3600, { message: 'ROOMTONE_CHECKIN_INTERVAL_SECONDS must be a whole number of seconds (5 to 3600)' })
  ROOMTONE_CHECKIN_INTERVAL_SECONDS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS must be a whole number of seconds (10 to 86400)' })
  @Min(10, { message: 'ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS must be a whole number of seconds (10 to 86400)' })
  @Max(86_400, { message: 'ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS must be a whole number of seconds (10 to 86400)' })
  ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS?: number;

  // Plans (hub/src/plans).
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ROOMTONE_PLAN_HORIZON_DAYS must be a whole number of days (1 to 60)' })
  @Min(1, { message: 'ROOMTONE_PLAN_HORIZON_DAYS must be a whole number of days (1 to 60)' })
  @Max(60, { message: 'ROOMTONE_PLAN_HORIZON_DAYS must be a whole number of days (1 to 60)' })
  ROOMTONE_PLAN_HORIZON_DAYS?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({
    message: 'ROOMTONE_PLAN_WORKER_INTERVAL_MS must be a whole number of milliseconds (0 = off, or 100 to 3600000)',
  })
  @Min(0, {
    message: 'ROOMTONE_PLAN_WORKER_INTERVAL_MS must be a whole number of milliseconds (0 = off, or 100 to 3600000)',
  })
  @Max(3_600_000, {
    message: 'ROOMTONE_PLAN_WORKER_INTERVAL_MS must be a whole number of milliseconds (0 = off, or 100 to 3600000)',
  })
  ROOMTONE_PLAN_WORKER_INTERVAL_MS?: number;
}
