import { run } from './run';

// The bin entry: print, set the exit status, and let Node exit once stdout is flushed (no process.exit mid-write).
const result = run(process.argv.slice(2));
if (result.stdout.length) process.stdout.write(`${result.stdout.join('\n')}\n`);
if (result.stderr.length) process.stderr.write(`${result.stderr.join('\n')}\n`);
process.exitCode = result.status;
