import type { CliCommand } from '@roomtone/provisioning';
import { decryptCommand } from './decrypt';
import { doctorCommand } from './doctor';
import { enrollCommand } from './enroll';
import { runCommand } from './run';
import { statusCommand } from './status';
import { testToneCommand } from './test-tone';

/** Every roomtone-appliance command; a new command is one file in this folder plus one entry here. */
export const applianceCommands: CliCommand[] = [
  decryptCommand,
  testToneCommand,
  enrollCommand,
  runCommand,
  statusCommand,
  doctorCommand,
];
