import { type CliCommand, UsageError, loadSodium } from '@roomtone/provisioning';
import { DaemonConfigError, formatChecks, resolveDaemonConfig, runDoctor } from '../../daemon';

/** `doctor`: one PASS/FAIL line per check with what to do; exit 1 if any fails. */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check clock, hub, disk, audio output and keystore; PASS/FAIL per line',
  usage: [
    'usage: roomtone-appliance doctor [--data-dir <dir>] [--keystore <path>] [--sink <name>] [--server <socket path>]',
    '',
    "Checks: keystore permissions (0600), hub reachable (a signed whoami), clock (against the hub's signed time,",
    "else the keystore's creation time), disk space in the data dir, audio output (connects to PulseAudio).",
    'Prints one line per check: PASS or FAIL, what was found and what to do. Exit 0 when all pass, 1 otherwise.',
  ].join('\n'),
  options: {
    'data-dir': { type: 'string' },
    keystore: { type: 'string' },
    sink: { type: 'string' },
    server: { type: 'string' },
  },
  async run(values, io) {
    let config;
    try {
      config = resolveDaemonConfig(values);
    } catch (error) {
      if (error instanceof DaemonConfigError) throw new UsageError(error.message);
      throw error;
    }
    const checks = await runDoctor(config, { sodium: await loadSodium() });
    for (const line of formatChecks(checks)) io.stdout(line);
    return checks.every((c) => c.pass) ? 0 : 1;
  },
};
