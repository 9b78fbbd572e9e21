import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const bins = {
  provision: join(root, 'provisioning/bin/roomtone-provision.js'),
  appliance: join(root, 'appliance/bin/roomtone-appliance.js'),
};

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built CLI (`npm run build` first) asynchronously, so an in-process fake hub can answer it. */
export function run(cli: keyof typeof bins, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bins[cli], ...args], { env: { ...process.env, ...env }, cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `roomtone-${prefix}-`));
}

/** The file names in `dir`, sorted (to prove no output or temp file was left behind). */
export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Exactly one line on stderr, no stack trace. */
export function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(stderr)) throw new Error(`expected one stderr line, got:\n${stderr}`);
  return lines[0];
}
