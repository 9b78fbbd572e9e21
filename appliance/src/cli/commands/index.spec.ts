import { type CliIo, runCli } from '@roomtone/provisioning';
import { applianceCommands } from './index';

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}

describe('roomtone-appliance command registry', () => {
  it('lists decrypt in --help', async () => {
    const io = capture();
    expect(await runCli('roomtone-appliance', applianceCommands, ['--help'], io)).toBe(0);
    expect(io.out.join('\n')).toMatch(/^ {2}decrypt {6}decrypt a track encrypted for this appliance$/m);
  });

  it('a missing required option is exit 2 with one line', async () => {
    const io = capture();
    expect(await runCli('roomtone-appliance', applianceCommands, ['decrypt', '--in', 'x'], io)).toBe(2);
    expect(io.err).toEqual(['roomtone-appliance decrypt: --keystore is required']);
  });
});
