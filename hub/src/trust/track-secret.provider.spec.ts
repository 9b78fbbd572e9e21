import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { loadOrCreateTrackSecret, TRACK_SECRET_FILE } from './track-secret.provider';

describe('track secret (FORMAT.md hub secret S)', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'roomtone-track-secret-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is created on first start as 32 random bytes with mode 0600, then read back unchanged', async () => {
    const first = await loadOrCreateTrackSecret({ dataDir: dir });
    const file = path.join(dir, TRACK_SECRET_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await readFile(file)).equals(Buffer.from(first.bytes()))).toBe(true);
    const again = await loadOrCreateTrackSecret({ dataDir: dir });
    expect(Buffer.from(again.bytes()).equals(Buffer.from(first.bytes()))).toBe(true);
    expect(first.bytes()).toHaveLength(32);
  });

  it('hubs starting together on one data directory all end up with the same secret (first writer wins)', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateTrackSecret({ dataDir: dir })));
    const distinct = new Set(secrets.map((s) => Buffer.from(s.bytes()).toString('hex')));
    expect(distinct.size).toBe(1);
  });

  it('ROOMTONE_TRACK_SECRET (base64url of 32 bytes) wins over the file; a bad value names the variable', async () => {
    const bytes = Buffer.alloc(32, 7);
    const configured = await loadOrCreateTrackSecret({ configured: bytes.toString('base64url'), dataDir: dir });
    expect(Buffer.from(configured.bytes()).equals(bytes)).toBe(true);
    await expect(loadOrCreateTrackSecret({ configured: 'c2hvcnQ', dataDir: dir })).rejects.toThrow(
      /ROOMTONE_TRACK_SECRET must be base64url of 32 bytes/,
    );
  });

  it('a damaged secret file stops the boot with what to do, instead of silently making a new one', async () => {
    await writeFile(path.join(dir, TRACK_SECRET_FILE), Buffer.alloc(31));
    await expect(loadOrCreateTrackSecret({ dataDir: dir })).rejects.toThrow(/must hold exactly 32 bytes \(it has 31\)/);
  });

  it('never shows its bytes when printed, inspected or serialised', async () => {
    const secret = await loadOrCreateTrackSecret({
      configured: Buffer.alloc(32, 9).toString('base64url'),
      dataDir: dir,
    });
    for (const text of [String(secret), inspect(secret), JSON.stringify({ secret })]) {
      expect(text).toContain('redacted');
      expect(text).not.toContain(Buffer.alloc(32, 9).toString('base64url'));
      expect(text).not.toContain('9, 9');
    }
  });
});
