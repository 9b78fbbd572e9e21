import { type CliCommand, loadSodium } from '@roomtone/provisioning';
import { formatChecks, runDoctor } from '../../daemon';
import { DAEMON_OPTIONS, DAEMON_OPTIONS_HELP, daemonConfigOf } from './daemon-options';

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
    ...DAEMON_OPTIONS_HELP,
  ].join('\n'),
  options: DAEMON_OPTIONS,
  async run(values, io) {
    const checks = await runDoctor(daemonConfigOf(values), { sodium: await loadSodium() });
    for (const line of formatChecks(checks)) io.stdout(line);
    return checks.every((c) => c.pass) ? 0 : 1;
  },
};
