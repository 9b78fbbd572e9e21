import { type CliCommand, UsageError } from '@roomtone/provisioning';
import { startDaemon } from '../../daemon';
import { SyncConfigError } from '../../sync';
import { type WallClock, systemWallClock } from '../../time';
import { DAEMON_OPTIONS, DAEMON_OPTIONS_HELP, daemonConfigOf } from './daemon-options';

/**
 * Test hook, never set in production: ROOMTONE_TEST_CLOCK_OFFSET_MS (a whole number of ms, may be negative) moves the
 * daemon's wall clock by that much, so an end-to-end test can make a real `run` process cross a DST change or a day
 * boundary in seconds (test/e2e/appliance/time.test.ts). The hub's signed time still wins over it when online
 * (../../time/README.md), so it only matters offline. Unset or empty: the system clock.
 */
export function testWallClock(env: NodeJS.ProcessEnv): WallClock | undefined {
  const raw = env.ROOMTONE_TEST_CLOCK_OFFSET_MS;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new UsageError(`ROOMTONE_TEST_CLOCK_OFFSET_MS must be a whole number of milliseconds, got '${raw}'`);
  }
  const offset = Number(raw);
  return { nowMs: () => systemWallClock.nowMs() + offset };
}

/** `run [--data-dir D] [--keystore K] [--sink S] [--server P]`: the daemon (systemd runs this). */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run the appliance daemon: sync, cache, playback, play log (systemd starts this)',
  usage: [
    'usage: roomtone-appliance run [--data-dir <dir>] [--keystore <path>] [--sink <name>] [--server <socket path>]',
    '',
    'Follows the plan from the hub and plays it on PulseAudio until SIGTERM (then fades out, closes the play in the',
    'play log and exits 0). Writes <data dir>/status.json every 2 s; under systemd (Type=notify) sends READY=1 and',
    'WATCHDOG=1 through systemd-notify.',
    ...DAEMON_OPTIONS_HELP,
  ].join('\n'),
  options: DAEMON_OPTIONS,
  async run(values, io) {
    const config = daemonConfigOf(values);
    const wall = testWallClock(process.env);
    let daemon;
    try {
      daemon = await startDaemon(config, wall ? { wall } : {});
    } catch (error) {
      // A bad ROOMTONE_CACHE_BUDGET_MB / ROOMTONE_BANDWIDTH_KBPS is the installer's to fix: one line, exit 2.
      if (error instanceof SyncConfigError) throw new UsageError(error.message);
      throw error;
    }
    io.stdout(`roomtone-appliance running (data dir ${config.dataDir}, status in ${config.dataDir}/status.json)`);
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        io.stdout(`${signal}: stopping (fading out, closing the play log)`);
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        void daemon.stop().then(resolve);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    io.stdout('stopped');
    return 0;
  },
};
