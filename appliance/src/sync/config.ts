/** Cache budget when ROOMTONE_CACHE_BUDGET_MB is not set. */
export const DEFAULT_CACHE_BUDGET_MB = 2048;

/** What sync and the cache are configured with (the data directory comes from the daemon's config). */
export interface SyncConfig {
  cacheBudgetBytes: number;
  /** Download cap in bytes per second; null: none. */
  bandwidthBytesPerSecond: number | null;
}

/** A bad environment value: the message names every bad key and what is expected. */
export class SyncConfigError extends Error {}

/**
 * Reads ROOMTONE_CACHE_BUDGET_MB (whole MiB >= 1, default 2048) and ROOMTONE_BANDWIDTH_KBPS (kilobits per second,
 * whole number >= 8, default none) once, at start. All bad keys are reported together.
 */
export function resolveSyncConfig(env: NodeJS.ProcessEnv = process.env): SyncConfig {
  const problems: string[] = [];
  const whole = (name: string, min: number, what: string): number | null => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return null;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
      problems.push(`${name} must be ${what}, got '${raw}'`);
      return null;
    }
    return Number(raw);
  };
  const budgetMb = whole('ROOMTONE_CACHE_BUDGET_MB', 1, 'a whole number of MiB >= 1 (e.g. 2048)');
  const kbps = whole('ROOMTONE_BANDWIDTH_KBPS', 8, 'a whole number of kilobits per second >= 8 (e.g. 2000), or unset');
  if (problems.length > 0) throw new SyncConfigError(problems.join('; '));
  return {
    cacheBudgetBytes: (budgetMb ?? DEFAULT_CACHE_BUDGET_MB) * 1024 * 1024,
    bandwidthBytesPerSecond: kbps === null ? null : (kbps * 1000) / 8,
  };
}
