import { join } from 'node:path';
import { loadKeystore, loadSodium, systemClock, trackRecipientOf } from '@roomtone/provisioning';
import { TrackCache } from '../cache/track-cache';
import { PLAY_LOG_FILE, SqlitePlayLog } from '../playlog/play-log';
import { systemMonotonicClock, systemWallClock } from '../time';
import { resolveSyncConfig } from './config';
import { HubClient } from './hub-client';
import { jsonLinesLogger, type SyncLogger } from './logger';
import { SyncService } from './sync-service';

export { resolveSyncConfig, type SyncConfig, SyncConfigError, DEFAULT_CACHE_BUDGET_MB } from './config';
export { HubClient, HubError } from './hub-client';
export { jsonLinesLogger, type SyncLogger } from './logger';
export { prefetch, type PrefetchRound } from './prefetcher';
export { SyncService, type CheckinStatus, type SyncDeps, type SyncStatus } from './sync-service';
export { PlayUploader } from './uploader';
export { backoffMs, jitteredIntervalMs, realScheduler, type Scheduler } from './timers';

/** The parts sync, the cache and the play log give the daemon (DaemonParts-compatible). */
export interface SyncParts {
  hub: SyncService;
  cache: TrackCache;
  log: SqlitePlayLog;
  sync: SyncService;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Builds the real sync parts for `roomtone-appliance run`: loads the keystore, opens the play log
 * (`<data dir>/playlog.sqlite`) and the cache (`<data dir>/cache`, budget and bandwidth from the environment).
 * `stop()` stops check-ins and downloads and closes the play log.
 */
export async function createSyncParts(options: {
  dataDir: string;
  keystorePath: string;
  softwareVersion: string;
  env?: NodeJS.ProcessEnv;
  logger?: SyncLogger;
}): Promise<SyncParts> {
  const config = resolveSyncConfig(options.env);
  const sodium = await loadSodium();
  const keystore = await loadKeystore(sodium, options.keystorePath);
  const logger = options.logger ?? jsonLinesLogger();
  const client = new HubClient(keystore, { sodium, clock: systemClock });
  const log = new SqlitePlayLog(join(options.dataDir, PLAY_LOG_FILE));
  const cache = await TrackCache.open({
    dir: join(options.dataDir, 'cache'),
    budgetBytes: config.cacheBudgetBytes,
    bandwidthBytesPerSecond: config.bandwidthBytesPerSecond,
    sodium,
    recipient: trackRecipientOf(keystore),
    fetchTrack: (trackId, headers, signal) =>
      client.request('GET', `/appliance/v1/tracks/${encodeURIComponent(trackId)}`, { headers, signal }),
    log: logger,
  });
  const sync = new SyncService({
    dataDir: options.dataDir,
    client,
    sodium,
    cache,
    log,
    softwareVersion: options.softwareVersion,
    wall: systemWallClock,
    monotonic: systemMonotonicClock,
    logger,
  });
  return {
    hub: sync,
    cache,
    log,
    sync,
    start: () => sync.start(),
    stop: async () => {
      await sync.stop();
      log.close();
    },
  };
}
