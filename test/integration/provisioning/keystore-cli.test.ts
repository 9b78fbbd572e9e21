import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesIn, oneLine, run, tempDir } from './cli-support';

describe('keystore refusals through roomtone-appliance decrypt', () => {
  const dir = tempDir('keystore-cli');
  const p = (name: string) => join(dir, name);

  beforeAll(async () => {
    writeFileSync(p('track'), 'hello');
    expect((await run('provision', ['keygen', '--out', p('ks.json')])).code).toBe(0);
    expect(
      (
        await run('provision', [
          'encrypt',
          '--for',
          p('ks.json'),
          '--track-id',
          't',
          '--in',
          p('track'),
          '--out',
          p('track.enc'),
        ])
      ).code,
    ).toBe(0);
  });

  async function refusal(keystore: string): Promise<string> {
    const before = filesIn(dir);
    const result = await run('appliance', [
      'decrypt',
      '--keystore',
      keystore,
      '--in',
      p('track.enc'),
      '--out',
      p('out'),
    ]);
    expect(result.code).toBe(2);
    expect(filesIn(dir)).toEqual(before);
    return oneLine(result.stderr);
  }

  function variant(name: string, text: string, mode = 0o600): string {
    writeFileSync(p(name), text, { mode });
    chmodSync(p(name), mode);
    return p(name);
  }

  it('group- or world-readable keystore: tells to chmod 600', async () => {
    const text = readFileSync(p('ks.json'), 'utf8');
    expect(await refusal(variant('group.json', text, 0o640))).toMatch(
      new RegExp(`chmod 600 ${p('group.json')}.*\\[KEYSTORE_PERMISSIONS\\]`),
    );
    expect(await refusal(variant('world.json', text, 0o604))).toMatch(/chmod 600/);
  });

  it('truncated, corrupt, empty and wrong-version keystores', async () => {
    const text = readFileSync(p('ks.json'), 'utf8');
    expect(await refusal(variant('trunc.json', text.slice(0, 100)))).toMatch(
      /corrupt \(truncated or invalid JSON\).*\[KEYSTORE_CORRUPT\]/,
    );
    expect(await refusal(variant('empty.json', ''))).toMatch(/KEYSTORE_CORRUPT/);
    const flipped = text.replace(/"seed": "(.)/, (_m, c: string) => `"seed": "${c === 'A' ? 'B' : 'A'}`);
    expect(await refusal(variant('flip.json', flipped))).toMatch(/does not match its seed.*KEYSTORE_CORRUPT/);
    expect(await refusal(variant('v9.json', text.replace('"version": 1', '"version": 9')))).toMatch(
      /version 9.*KEYSTORE_VERSION/,
    );
    expect(await refusal(p('missing.json'))).toMatch(/does not exist.*keygen/);
  });

  it('the keystore after a refusal decrypts fine once fixed', async () => {
    chmodSync(p('group.json'), 0o600);
    const result = await run('appliance', [
      'decrypt',
      '--keystore',
      p('group.json'),
      '--in',
      p('track.enc'),
      '--out',
      p('ok.out'),
    ]);
    expect(result.code).toBe(0);
    expect(readFileSync(p('ok.out'), 'utf8')).toBe('hello');
  });
});

describe('CLI contracts: --help and bad input', () => {
  it.each([
    ['provision', []],
    ['provision', ['keygen']],
    ['provision', ['encrypt']],
    ['provision', ['pubkey']],
    ['provision', ['bundle']],
    ['appliance', []],
    ['appliance', ['decrypt']],
  ] as const)('%s %j --help prints usage and exits 0', async (cli, args) => {
    const result = await run(cli, [...args, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: roomtone-/);
  });

  it.each([
    ['provision', ['frobnicate'], /unknown command 'frobnicate'/],
    ['provision', ['keygen'], /--out is required/],
    ['provision', ['keygen', '--out'], /argument missing|--out/],
    [
      'provision',
      ['encrypt', '--for', 'x', '--track-id', 't', '--in', 'x', '--out', 'y', '--chunk-size', 'big'],
      /--chunk-size must be/,
    ],
    [
      'provision',
      ['encrypt', '--for', '/nonexistent', '--track-id', 't', '--in', 'x', '--out', 'y'],
      /cannot read \/nonexistent/,
    ],
    [
      'provision',
      ['bundle', '--venue', 'v', '--count', '0', '--out', '/tmp/x', '--hub', 'http://h', '--token', 't'],
      /--count must be/,
    ],
    ['appliance', ['decrypt', '--keystore', 'k', '--bogus'], /Unknown option '--bogus'/],
    ['appliance', ['decrypt', '--keystore', '/nonexistent/ks.json', '--in', 'x', '--out', 'y'], /does not exist/],
    [
      'provision',
      ['keygen', '--out', '/nonexistent/dir/ks.json'],
      /^roomtone-provision keygen: cannot write \/nonexistent\/dir\/ks\.json \(ENOENT\).*\[FILE_WRITE_FAILED\]$/,
    ],
  ] as const)('%s %j exits 2 with one line', async (cli, args, message) => {
    const result = await run(cli, [...args]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(message);
  });

  it('no command: usage on stderr, exit 2', async () => {
    const result = await run('appliance', []);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: roomtone-appliance/);
  });
});
