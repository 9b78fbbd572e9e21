import { spawnSync } from 'node:child_process';

/**
 * True when `command` runs. Suites that need a system tool call this in a `beforeAll`: under CI=true a missing tool
 * fails the suite (CI must never skip); elsewhere it fails too, with the apt package to install, because a test that
 * silently passes without its dependency proves nothing.
 */
export function requireTool(command: string, aptPackage: string, versionArgs: string[] = ['-version']): void {
  const result = spawnSync(command, versionArgs, { stdio: 'ignore' });
  if (result.error || result.status === null) {
    throw new Error(`${command} is required by this suite: install it with 'apt-get install -y ${aptPackage}'`);
  }
}
