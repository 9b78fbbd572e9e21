import { parseArgs } from 'node:util';
import { ProvisioningError } from './errors';

/** Option values as node:util parseArgs returns them. */
export type CliValues = Record<string, string | boolean | undefined>;

/** Where a command writes (injected so tests can capture output). */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** One subcommand: adding a command to a CLI is one object like this in its own file. */
export interface CliCommand {
  name: string;
  /** One line for the program's --help. */
  summary: string;
  /** Full usage text for `<program> <command> --help`. */
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string }>;
  /** Returns the exit code. Throw {@link UsageError} or a ProvisioningError for bad input (exit 2). */
  run(values: CliValues, io: CliIo): Promise<number>;
}

/** Bad command-line input: exit 2 with the message on one line. */
export class UsageError extends Error {}

/** The value of a required string option, or a UsageError naming it. */
export function requireOption(values: CliValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

const stdio: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs `argv` (without node and script) against `commands`. Every failure is one line on stderr and no stack
 * trace: bad input and typed errors exit 2, anything unexpected exits 1.
 */
export async function runCli(
  program: string,
  commands: CliCommand[],
  argv: string[],
  io: CliIo = stdio,
): Promise<number> {
  const help = () =>
    [
      `usage: ${program} <command> [options]`,
      '',
      'commands:',
      ...commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
      '',
      `'${program} <command> --help' shows a command's options.`,
    ].join('\n');
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`${program}: unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')})`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      io.stdout(command.usage);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return await command.run(values, io);
  } catch (error) {
    io.stderr(`${program} ${name}: ${describe(error)}`);
    return exitCodeOf(error);
  }
}

function describe(error: unknown): string {
  // Not `instanceof Error`: errors from another realm (Node internals under a test runner) fail that check.
  const candidate = (error as { message?: unknown } | null)?.message;
  const message = typeof candidate === 'string' ? candidate : String(error);
  const line = message.split('\n')[0];
  if (error instanceof ProvisioningError) return `${line} [${error.code}]`;
  return line;
}

function exitCodeOf(error: unknown): number {
  if (error instanceof ProvisioningError || error instanceof UsageError) return 2;
  const code = (error as { code?: unknown } | null)?.code;
  // parseArgs rejects unknown or malformed options with ERR_PARSE_ARGS_*; file-system errors on user-given paths.
  if (
    typeof code === 'string' &&
    (code.startsWith('ERR_PARSE_ARGS') || ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EPERM'].includes(code))
  )
    return 2;
  return 1;
}
