import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  HUB_KEY_FILE,
  isProvisioningError,
  loadOrCreateHubSigningKey,
  loadSodium,
  toBase64Url,
  writeFileAtomic,
} from '@roomtone/provisioning';
import { tempDir } from './cli-support';

describe("the hub's signing key on disk", () => {
  it('is created on first use with mode 0600 in the data dir, then reused', async () => {
    const sodium = await loadSodium();
    const dataDir = join(tempDir('hubkey'), 'data');
    const first = await loadOrCreateHubSigningKey(sodium, { dataDir });
    expect(statSync(join(dataDir, HUB_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual([HUB_KEY_FILE]); // no temp file left by the atomic write
    const second = await loadOrCreateHubSigningKey(sodium, { dataDir });
    expect(second.keyId).toBe(first.keyId);
    expect(inspect(second)).toBe(`HubSigningKey { keyId: '${first.keyId}', secretKey: [redacted] }`);
  });

  it('a group-readable key file stops the hub with what to do', async () => {
    const sodium = await loadSodium();
    const dataDir = tempDir('hubkey');
    await loadOrCreateHubSigningKey(sodium, { dataDir });
    chmodSync(join(dataDir, HUB_KEY_FILE), 0o640);
    await expect(loadOrCreateHubSigningKey(sodium, { dataDir })).rejects.toThrow(
      `run 'chmod 600 ${join(dataDir, HUB_KEY_FILE)}'`,
    );
  });

  it('a configured seed wins over the data dir, and a bad one is a typed error', async () => {
    const sodium = await loadSodium();
    const seed = Buffer.alloc(32, 0x11);
    const key = await loadOrCreateHubSigningKey(sodium, {
      dataDir: tempDir('hubkey'),
      configuredSeed: toBase64Url(seed),
    });
    expect(toBase64Url(key.publicKey)).toBe(toBase64Url(sodium.signSeedKeypair(seed).publicKey));
    await loadOrCreateHubSigningKey(sodium, { dataDir: tempDir('hubkey'), configuredSeed: 'not-a-seed' }).then(
      () => {
        throw new Error('accepted a bad seed');
      },
      (error: unknown) => expect(isProvisioningError(error, 'HUB_KEY_INVALID')).toBe(true),
    );
  });

  it('writeFileAtomic replaces a file whole and keeps mode 0600', async () => {
    const dir = tempDir('atomic');
    const path = join(dir, 'f.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['f.json']);
  });
});
