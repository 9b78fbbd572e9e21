import { type DaemonConfig } from './config';
import { Daemon, type DaemonOptions, type DaemonParts } from './daemon';

/**
 * Builds the real parts (keystore, sync/hub link, encrypted cache, play log, uploader) for `run`. These are engineer
 * E's classes (appliance/src/{sync,cache,playlog}); until they are on main this says so instead of playing nothing
 * silently.
 */
export function buildParts(_config: DaemonConfig): Promise<DaemonParts> {
  return Promise.reject(
    new Error(
      'this build has no sync, cache or play log yet (appliance/src/{sync,cache,playlog}): the daemon cannot run here',
    ),
  );
}

/** The composition root: builds the parts and the daemon, starts it, and returns it (stop it with `stop()`). */
export async function startDaemon(
  config: DaemonConfig,
  options: { build?: (config: DaemonConfig) => Promise<DaemonParts> } & Omit<DaemonOptions, 'config' | 'parts'> = {},
): Promise<Daemon> {
  const { build = buildParts, ...rest } = options;
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
