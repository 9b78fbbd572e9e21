import { runCli } from '../cli-kit';
import { bundleCommand } from './commands/bundle';
import { encryptCommand } from './commands/encrypt';
import { keygenCommand } from './commands/keygen';
import { pubkeyCommand } from './commands/pubkey';
import { secretCommand } from './commands/secret';

const commands = [keygenCommand, pubkeyCommand, encryptCommand, secretCommand, bundleCommand];

void runCli('roomtone-provision', commands, process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
