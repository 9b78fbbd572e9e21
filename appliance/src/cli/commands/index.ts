import type { CliCommand } from '@roomtone/provisioning';
import { decryptCommand } from './decrypt';
import { enrollCommand } from './enroll';
import { testToneCommand } from './test-tone';

/** Every roomtone-appliance command; a new command is one file in this folder plus one entry here. */
export const applianceCommands: CliCommand[] = [decryptCommand, testToneCommand, enrollCommand];
