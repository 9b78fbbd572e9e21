import { UsageError } from '@roomtone/provisioning';
import { type DaemonConfig, DaemonConfigError, resolveDaemonConfig } from '../../daemon';

/** The options `run` and `doctor` share: where the device's files are and which PulseAudio output to use. */
export const DAEMON_OPTIONS = {
  'data-dir': { type: 'string' },
  keystore: { type: 'string' },
  sink: { type: 'string' },
  server: { type: 'string' },
} as const;

/** Help lines for {@link DAEMON_OPTIONS}: each option's default. */
export const DAEMON_OPTIONS_HELP = [
  '  --data-dir  default $ROOMTONE_DATA_DIR, else /var/lib/roomtone',
  '  --keystore  default $ROOMTONE_KEYSTORE, else <data dir>/keystore.json when a data dir is given, else',
  '              /var/lib/roomtone/keystore.json',
  '  --sink      PulseAudio sink; default $ROOMTONE_PULSE_SINK, else the server default',
  '  --server    PulseAudio native socket; default PULSE_SERVER (unix:...), else $XDG_RUNTIME_DIR/pulse/native',
];

/** The daemon's configuration from the command's options and the environment; a bad value is a usage error (exit 2). */
export function daemonConfigOf(values: Record<string, string | boolean | undefined>): DaemonConfig {
  try {
    return resolveDaemonConfig(values);
  } catch (error) {
    if (error instanceof DaemonConfigError) throw new UsageError(error.message);
    throw error;
  }
}
