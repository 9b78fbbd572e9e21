import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Keystore, loadKeystore, loadSodium, type Sodium, verifyDocument } from '@roomtone/provisioning';
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
  const sodium = await loadSodium();
  const stored = storedHubTimeMs(sodium, await loadKeystore(sodium, config.keystorePath), config.dataDir);
  return {
    lastContactMs: () => stored,
    hub: parts.hub,
    cache: parts.cache,
    log: parts.log,
    start: () => parts.start(),
    stop: () => parts.stop(),
    bindPlayback: (provider) => parts.sync.setStatusProvider(provider),
    details: () => parts.sync.status(),
  };
}

/**
 * The signed hub time of the last check-in that sync stored (`<data dir>/sync-state.json`), verified against the
 * pinned hub key; null when there is none or it does not verify. After a restart without network it is what the
 * offline lease runs from (HubLinkPort.lastHubTime() only knows check-ins of this process).
 */
export function storedHubTimeMs(sodium: Sodium, keystore: Keystore, dataDir: string): number | null {
  try {
    if (!keystore.hubPublicKey || !keystore.applianceId) return null;
    const state = JSON.parse(readFileSync(join(dataDir, 'sync-state.json'), 'utf8')) as { hubTime?: unknown };
    const payload = verifyDocument(sodium, state.hubTime, keystore.hubPublicKey) as Record<string, unknown>;
    if (payload.type !== 'roomtone.hub-time' || payload.applianceId !== keystore.applianceId) return null;
    const ms = Date.parse(String(payload.time));
    return Number.isFinite(ms) ? ms : null;
  } catch {
    return null;
  }
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
