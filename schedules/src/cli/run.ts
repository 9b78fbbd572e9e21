import { RuleError } from '../rules';
import { ScheduleError } from '../schedule/errors';
import { UsageError } from './args';
import { EXPAND_HELP, expandCommand } from './expand-command';
import {
  SCHEDULE_HELP,
  clockChangesCommand,
  conflictsCommand,
  planCommand,
  resolveCommand,
  validateCommand,
} from './schedule-commands';

export const HELP = `roomtone-schedules: expand, resolve, plan and validate Roomtone schedules and rules.

${EXPAND_HELP}

${SCHEDULE_HELP}

Exit status: 0 on success, 2 on invalid input (one line on stderr says what is wrong and what to do).`;

const COMMANDS: Record<string, (argv: readonly string[]) => string[]> = {
  expand: expandCommand,
  resolve: resolveCommand,
  plan: planCommand,
  conflicts: conflictsCommand,
  'clock-changes': clockChangesCommand,
  validate: validateCommand,
};

/** What a run prints and its exit status. */
export interface RunResult {
  status: number;
  stdout: string[];
  stderr: string[];
}

/** One line, whatever the message holds: the CLI's error contract is a single line on stderr. */
function line(message: string): string {
  return `roomtone-schedules: ${message.replace(/\s*\r?\n\s*/g, ' ').trim()}`;
}

/** Runs the CLI on `argv` (without node and the script). Pure apart from reading the schedule file. */
export function run(argv: readonly string[]): RunResult {
  const [command, ...rest] = argv;
  if (command === undefined) {
    return {
      status: 2,
      stdout: [],
      stderr: [line('missing command: expand, resolve, plan, conflicts, clock-changes or validate (see --help)')],
    };
  }
  if (command === '--help' || command === '-h' || command === 'help') return { status: 0, stdout: [HELP], stderr: [] };
  const handler = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!handler) {
    return {
      status: 2,
      stdout: [],
      stderr: [
        line(
          `unknown command "${command}": use expand, resolve, plan, conflicts, clock-changes or validate (see --help)`,
        ),
      ],
    };
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    return { status: 0, stdout: [command === 'expand' ? EXPAND_HELP : SCHEDULE_HELP], stderr: [] };
  }
  try {
    return { status: 0, stdout: handler(rest), stderr: [] };
  } catch (error) {
    if (error instanceof UsageError || error instanceof ScheduleError || error instanceof RuleError) {
      return { status: 2, stdout: [], stderr: [line(error.message)] };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 1,
      stdout: [],
      stderr: [line(`internal error: ${message}; please report it with the command line`)],
    };
  }
}
