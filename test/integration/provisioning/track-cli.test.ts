import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesIn, oneLine, run, tempDir } from './cli-support';

// Spawns the built CLIs: run `npm run build` first.
describe('roomtone-provision encrypt / roomtone-appliance decrypt', () => {
  const dir = tempDir('track-cli');
  const p = (name: string) => join(dir, name);
  const original = randomBytes(300_000); // 5 chunks of 64 KiB: 4 full, 1 partial
  const H = 196 + 0 + 'trk-1'.length; // header length for an unenrolled appliance (FORMAT.md)
  const chunkAt = (i: number) => H + i * (65_536 + 16);

  beforeAll(async () => {
    writeFileSync(p('track.mp3'), original);
    for (const name of ['a', 'b'])
      expect((await run('provision', ['keygen', '--out', p(`${name}.json`)])).code).toBe(0);
    expect(
      (
        await run('provision', [
          'encrypt',
          '--for',
          p('a.json'),
          '--track-id',
          'trk-1',
          '--in',
          p('track.mp3'),
          '--out',
          p('a.enc'),
        ])
      ).code,
    ).toBe(0);
  });

  async function decryptExpectingFailure(input: string, keystore = p('a.json')): Promise<string> {
    const before = filesIn(dir);
    const result = await run('appliance', ['decrypt', '--keystore', keystore, '--in', input, '--out', p('out.mp3')]);
    expect(result.code).toBe(2);
    expect(filesIn(dir)).toEqual(before); // no output file, no temp file left behind
    return oneLine(result.stderr);
  }

  it('keygen writes a 0600 keystore and refuses to overwrite it', async () => {
    expect(statSync(p('a.json')).mode & 0o777).toBe(0o600);
    const again = await run('provision', ['keygen', '--out', p('a.json')]);
    expect(again.code).toBe(2);
    expect(oneLine(again.stderr)).toMatch(/already exists/);
  });

  it('a track encrypted for A decrypts with A to the original bytes', async () => {
    const result = await run('appliance', [
      'decrypt',
      '--keystore',
      p('a.json'),
      '--in',
      p('a.enc'),
      '--out',
      p('a.out'),
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(p('a.out')).equals(original)).toBe(true);
    expect(statSync(p('a.enc')).size).toBe(H + 300_000 + 5 * 16);
  });

  it('interop through the CLIs: encrypted with sodium-native, decrypted with the WebAssembly build and back', async () => {
    const wasm = { ROOMTONE_SODIUM: 'libsodium-wrappers' };
    const viaWasm = await run(
      'appliance',
      ['decrypt', '--keystore', p('a.json'), '--in', p('a.enc'), '--out', p('wasm.out')],
      wasm,
    );
    expect(viaWasm.code).toBe(0);
    expect(readFileSync(p('wasm.out')).equals(original)).toBe(true);
    expect(
      (
        await run(
          'provision',
          ['encrypt', '--for', p('a.json'), '--track-id', 'trk-1', '--in', p('track.mp3'), '--out', p('w.enc')],
          wasm,
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await run('appliance', ['decrypt', '--keystore', p('a.json'), '--in', p('w.enc'), '--out', p('w.out')], {
          ROOMTONE_SODIUM: 'sodium-native',
        })
      ).code,
    ).toBe(0);
    expect(readFileSync(p('w.out')).equals(original)).toBe(true);
  });

  it('and fails for B: "not for this appliance"', async () => {
    expect(await decryptExpectingFailure(p('a.enc'), p('b.json'))).toMatch(
      /^roomtone-appliance decrypt: not for this appliance/,
    );
  });

  it('encrypt --for accepts a public-key file from pubkey', async () => {
    expect((await run('provision', ['pubkey', '--keystore', p('b.json'), '--out', p('b.pub.json')])).code).toBe(0);
    const pub = JSON.parse(readFileSync(p('b.pub.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(pub).sort()).toEqual(['applianceId', 'encryption', 'format', 'signing', 'version']);
    expect(
      (
        await run('provision', [
          'encrypt',
          '--for',
          p('b.pub.json'),
          '--track-id',
          'trk-1',
          '--in',
          p('track.mp3'),
          '--out',
          p('b.enc'),
        ])
      ).code,
    ).toBe(0);
    expect(
      (await run('appliance', ['decrypt', '--keystore', p('b.json'), '--in', p('b.enc'), '--out', p('b.out')])).code,
    ).toBe(0);
    expect(readFileSync(p('b.out')).equals(original)).toBe(true);
  });

  it('a bit flip in chunk 3 => "chunk 3 tampered"', async () => {
    const bytes = readFileSync(p('a.enc'));
    bytes[chunkAt(3) + 1234] ^= 0x10;
    writeFileSync(p('flip.enc'), bytes);
    expect(await decryptExpectingFailure(p('flip.enc'))).toMatch(/chunk 3 tampered/);
  });

  it('truncation at a chunk boundary and mid-chunk => "truncated"', async () => {
    const bytes = readFileSync(p('a.enc'));
    writeFileSync(p('cut1.enc'), bytes.subarray(0, chunkAt(4)));
    writeFileSync(p('cut2.enc'), bytes.subarray(0, chunkAt(2) + 99));
    expect(await decryptExpectingFailure(p('cut1.enc'))).toMatch(/truncated/);
    expect(await decryptExpectingFailure(p('cut2.enc'))).toMatch(/truncated/);
  });

  it('reordered chunks => "chunk 1 tampered"', async () => {
    const b = readFileSync(p('a.enc'));
    const swapped = Buffer.concat([
      b.subarray(0, chunkAt(1)),
      b.subarray(chunkAt(2), chunkAt(3)),
      b.subarray(chunkAt(1), chunkAt(2)),
      b.subarray(chunkAt(3)),
    ]);
    writeFileSync(p('swap.enc'), swapped);
    expect(await decryptExpectingFailure(p('swap.enc'))).toMatch(/chunk 1 tampered/);
  });

  it('a chunk spliced from another track for the same appliance => "chunk 2 tampered"', async () => {
    writeFileSync(p('other.mp3'), randomBytes(300_000));
    expect(
      (
        await run('provision', [
          'encrypt',
          '--for',
          p('a.json'),
          '--track-id',
          'trk-2',
          '--in',
          p('other.mp3'),
          '--out',
          p('other.enc'),
        ])
      ).code,
    ).toBe(0);
    const a = readFileSync(p('a.enc'));
    const o = readFileSync(p('other.enc'));
    o.copy(a, chunkAt(2), chunkAt(2), chunkAt(3));
    writeFileSync(p('splice.enc'), a);
    expect(await decryptExpectingFailure(p('splice.enc'))).toMatch(/chunk 2 tampered/);
  });

  it('a newer format version => "unsupported version"', async () => {
    const bytes = readFileSync(p('a.enc'));
    bytes.writeUInt16BE(2, 4);
    writeFileSync(p('v2.enc'), bytes);
    expect(await decryptExpectingFailure(p('v2.enc'))).toMatch(/unsupported version/);
  });

  it('deterministic with --secret-file: same inputs => identical files; fresh secret otherwise', async () => {
    expect((await run('provision', ['secret', '--out', p('hub.secret')])).code).toBe(0);
    expect(statSync(p('hub.secret')).mode & 0o777).toBe(0o600);
    for (const out of ['d1.enc', 'd2.enc']) {
      expect(
        (
          await run('provision', [
            'encrypt',
            '--for',
            p('a.json'),
            '--track-id',
            'trk-1',
            '--secret-file',
            p('hub.secret'),
            '--in',
            p('track.mp3'),
            '--out',
            p(out),
          ])
        ).code,
      ).toBe(0);
    }
    expect(readFileSync(p('d1.enc')).equals(readFileSync(p('d2.enc')))).toBe(true);
    expect(
      (
        await run('provision', [
          'encrypt',
          '--for',
          p('a.json'),
          '--track-id',
          'trk-1',
          '--in',
          p('track.mp3'),
          '--out',
          p('r.enc'),
        ])
      ).code,
    ).toBe(0);
    expect(readFileSync(p('r.enc')).equals(readFileSync(p('a.enc')))).toBe(false);
  });

  it('Range resume: byte ranges of two separate encryptions concatenate to the whole file', async () => {
    const first = readFileSync(p('d1.enc'));
    const second = readFileSync(p('d2.enc'));
    const cut = chunkAt(2) + 777; // download broke mid-chunk; resume with Range: bytes=cut-
    expect(Buffer.concat([first.subarray(0, cut), second.subarray(cut)]).equals(first)).toBe(true);
    writeFileSync(p('resumed.enc'), Buffer.concat([first.subarray(0, cut), second.subarray(cut)]));
    expect(
      (
        await run('appliance', [
          'decrypt',
          '--keystore',
          p('a.json'),
          '--in',
          p('resumed.enc'),
          '--out',
          p('resumed.out'),
        ])
      ).code,
    ).toBe(0);
    expect(readFileSync(p('resumed.out')).equals(original)).toBe(true);
  });
});
