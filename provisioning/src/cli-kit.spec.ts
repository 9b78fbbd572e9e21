import { type CliCommand, type CliIo, requireOption, runCli, UsageError } from './cli-kit';
import { ProvisioningError } from './errors';

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
}

const command = (run: CliCommand['run']): CliCommand => ({
  name: 'do',
  summary: 'does',
  usage: 'usage: x do --it <v>',
  options: { it: { type: 'string' } },
  run,
});

describe('runCli', () => {
  it('typed errors and usage errors exit 2 with one line; unexpected errors exit 1, one line, no stack', async () => {
    const cases: [Error, number, string][] = [
      [
        new ProvisioningError('TRACK_TRUNCATED', 'truncated: x\nsecond line'),
        2,
        'x do: truncated: x [TRACK_TRUNCATED]',
      ],
      [new UsageError('--it is required'), 2, 'x do: --it is required'],
      [new Error('boom\n    at somewhere'), 1, 'x do: boom'],
    ];
    for (const [error, code, line] of cases) {
      const io = capture();
      expect(await runCli('x', [command(() => Promise.reject(error))], ['do'], io)).toBe(code);
      expect(io.err).toEqual([line]);
    }
  });

  it('passes options, rejects positionals and unknown options', async () => {
    const io = capture();
    expect(
      await runCli(
        'x',
        [command((v) => Promise.resolve(requireOption(v, 'it') === 'v' ? 0 : 9))],
        ['do', '--it', 'v'],
        io,
      ),
    ).toBe(0);
    expect(await runCli('x', [command(() => Promise.resolve(0))], ['do', 'stray'], io)).toBe(2);
    expect(await runCli('x', [command(() => Promise.resolve(0))], ['do', '--nope'], io)).toBe(2);
    expect(io.err).toEqual([
      "x do: unexpected argument 'stray'",
      expect.stringMatching(/^x do: Unknown option '--nope'/),
    ]);
  });

  it('command --help prints its usage and exits 0', async () => {
    const io = capture();
    expect(await runCli('x', [command(() => Promise.resolve(5))], ['do', '--help'], io)).toBe(0);
    expect(io.out).toEqual(['usage: x do --it <v>']);
  });
});
