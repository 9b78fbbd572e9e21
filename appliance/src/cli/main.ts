import { runCli } from '@roomtone/provisioning';
import { applianceCommands } from './commands';

void runCli('roomtone-appliance', applianceCommands, process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
