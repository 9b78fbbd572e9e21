import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'schedules', 'bin', 'roomtone-schedules.js');

/** What one run of the built CLI printed. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

/** Fails the suite with the command to run when the CLI has not been built (tests use the built output). */
export function requireBuiltCli(): void {
  if (!existsSync(join(root, 'schedules', 'dist', 'cli', 'main.js'))) {
    throw new Error('schedules/dist/cli/main.js is missing: run `npm run build` first');
  }
}

/** Runs `node schedules/bin/roomtone-schedules.js ...args` from the repository root, under a 20 s guard. */
export function cli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 20_000 });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    lines: r.stdout.split('\n').filter((l) => l !== ''),
  };
}

export const fixture = (name: string): string => join(__dirname, 'fixtures', name);
