import { readFileSync } from 'node:fs';
import { parseScheduleJson } from '../schedule/parse';
import type { Schedule } from '../schedule/model';
import { parseInstant } from '../schedule/iso';
import { type ParsedArgs, UsageError, required } from './args';

/** A required ISO 8601 instant flag (with Z or an offset), as epoch milliseconds. */
export function instantFlag(args: ParsedArgs, name: string, command: string): number {
  const text = required(args, name, command, '<ISO 8601 instant, e.g. 2026-03-29T00:00:00Z>');
  const ms = parseInstant(text);
  if (ms === undefined) {
    throw new UsageError(
      `--${name} "${text}" is not an ISO 8601 instant: write e.g. 2026-03-29T00:00:00Z or 2026-03-29T01:00:00+01:00`,
    );
  }
  return ms;
}

/** Reads and validates the schedule file named by --schedule. */
export function scheduleFlag(args: ParsedArgs, command: string): Schedule {
  const path = required(args, 'schedule', command, '<file.json>');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new UsageError(`cannot read schedule file ${path}: ${why}; pass the path of a schedule JSON file`);
  }
  return parseScheduleJson(text);
}
