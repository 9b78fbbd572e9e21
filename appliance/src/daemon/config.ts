import { isAbsolute, resolve } from 'node:path';
import { keystorePath } from '../enrolment/keystore-path';

/** Where the appliance keeps its state unless told otherwise (systemd's StateDirectory=roomtone). */
export const DEFAULT_DATA_DIR = '/var/lib/roomtone';

/** What `roomtone-appliance run` is configured with. */
export interface DaemonConfig {
  dataDir: string;
  keystorePath: string;
  /** PulseAudio sink; undefined: the server's default sink. */
  sink?: string;
  /** PulseAudio native socket path (or `unix:<path>`); undefined: PULSE_SERVER, then $XDG_RUNTIME_DIR/pulse/native. */
  server?: string;
}

/** Thrown for a bad option or environment value (the CLI turns it into exit 2 with one line). */
export class DaemonConfigError extends Error {}

/**
 * Resolves the daemon's configuration from the command line (`--data-dir`, `--keystore`, `--sink`, `--server`) and
 * the environment (ROOMTONE_DATA_DIR, ROOMTONE_KEYSTORE, ROOMTONE_PULSE_SINK, PULSE_SERVER); options win. The
 * keystore defaults to `<data dir>/keystore.json` when only a data dir is given.
 */
export function resolveDaemonConfig(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): DaemonConfig {
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw new DaemonConfigError(`--${name} needs a value`);
    return value;
  };
  const fromEnv = (name: string): string | undefined => (env[name] && env[name] !== '' ? env[name] : undefined);
  const dataDir = resolve(text('data-dir') ?? fromEnv('ROOMTONE_DATA_DIR') ?? DEFAULT_DATA_DIR);
  const keystoreOption = text('keystore');
  const keystore =
    keystoreOption ??
    fromEnv('ROOMTONE_KEYSTORE') ??
    (text('data-dir') || fromEnv('ROOMTONE_DATA_DIR') ? resolve(dataDir, 'keystore.json') : undefined);
  const sink = text('sink') ?? fromEnv('ROOMTONE_PULSE_SINK');
  const server = text('server');
  if (sink !== undefined && !/^[A-Za-z0-9_.:@-]+$/.test(sink)) {
    throw new DaemonConfigError(`--sink must be a PulseAudio sink name (letters, digits, _ . : @ -); got '${sink}'`);
  }
  const path = keystorePath(keystore, env);
  return {
    dataDir,
    keystorePath: isAbsolute(path) ? path : resolve(path),
    ...(sink !== undefined ? { sink } : {}),
    ...(server !== undefined ? { server } : {}),
  };
}
