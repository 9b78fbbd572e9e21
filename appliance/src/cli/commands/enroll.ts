import { loadSodium, requireOption, systemClock, type CliCommand } from '@roomtone/provisioning';
import { enrol } from '../../enrolment/enrol';
import { DEFAULT_KEYSTORE_PATH, keystorePath } from '../../enrolment/keystore-path';

/** `enroll --hub <url> --code <code> [--keystore <path>]`: the installer's first command on a new appliance. */
export const enrollCommand: CliCommand = {
  name: 'enroll',
  summary: 'enrol this appliance with a hub using a one-time code',
  usage: [
    'usage: roomtone-appliance enroll --hub <hub URL> --code <enrolment code> [--keystore <path>]',
    '',
    "Generates this appliance's keys (they never leave it), proves possession of them to the hub with the",
    "one-time code an installer got for the zone, pins the hub's public key and writes the keystore (mode 0600).",
    'A typo in the code is reported before any network call. Prints the appliance id and zone.',
    `  --keystore  default $ROOMTONE_KEYSTORE, else ${DEFAULT_KEYSTORE_PATH}; an existing keystore is never replaced`,
  ].join('\n'),
  options: { hub: { type: 'string' }, code: { type: 'string' }, keystore: { type: 'string' } },
  async run(values, io) {
    const hubUrl = requireOption(values, 'hub');
    const code = requireOption(values, 'code');
    const path = keystorePath(typeof values.keystore === 'string' ? values.keystore : undefined);
    const sodium = await loadSodium();
    const enrolled = await enrol({ hubUrl, code, keystorePath: path, sodium, clock: systemClock });
    io.stdout(`enrolled appliance ${enrolled.applianceId} in zone ${enrolled.zoneId} (keystore ${path})`);
    return 0;
  },
};
