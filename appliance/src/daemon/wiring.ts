import { APPLIANCE_VERSION } from '../index';
import { createSyncParts } from '../sync';
import { type DaemonConfig } from './config';
import { Daemon, type DaemonOptions, type DaemonParts } from './daemon';

/**
 * Builds the real parts for `run`: the keystore, sync (check-ins, signed plan and licence, uploader, prefetch), the
 * encrypted track cache and the SQLite play log (appliance/src/{sync,cache,playlog}).
 */
export async function buildParts(config: DaemonConfig, env: NodeJS.ProcessEnv = process.env): Promise<DaemonParts> {
  const parts = await createSyncParts({
    dataDir: config.dataDir,
    keystorePath: config.keystorePath,
    softwareVersion: `roomtone-appliance ${APPLIANCE_VERSION}`,
    env,
  });
  return {
    hub: parts.hub,
    cache: parts.cache,
    log: parts.log,
    start: () => parts.start(),
    stop: () => parts.stop(),
    bindPlayback: (provider) => parts.sync.setStatusProvider(provider),
    details: () => parts.sync.status(),
  };
}

/** The composition root: builds the parts and the daemon, starts it, and returns it (stop it with `stop()`). */
export async function startDaemon(
  config: DaemonConfig,
  options: { build?: (config: DaemonConfig) => Promise<DaemonParts> } & Omit<DaemonOptions, 'config' | 'parts'> = {},
): Promise<Daemon> {
  const { build = (c: DaemonConfig) => buildParts(c), ...rest } = options;
  const parts = await build(config);
  const daemon = new Daemon({ config, parts, ...rest });
  try {
    await daemon.start();
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return daemon;
}
