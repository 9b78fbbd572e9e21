import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createNativeSodium, HUB_KEY_FILE, HubSigningKey, toBase64Url } from '@roomtone/provisioning';
import { loadConfig } from '../../../hub/src/config/load-config';
import { DocumentSigner } from '../../../hub/src/trust/document-signer.service';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub } from '../../support/hub-app';

describe("the hub's Ed25519 key", () => {
  let db: FreshDatabase;

  beforeEach(async () => {
    db = await freshDatabase('sqlite');
  });

  afterEach(async () => {
    await db.drop();
  });

  it('is created on first start in ROOMTONE_DATA_DIR with mode 0600, kept across restarts, and never logged', async () => {
    const first = await startTestHub(db);
    const publicKey = first.app.get(DocumentSigner).publicKey;
    await first.close();
    const file = join(db.dataDir, HUB_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; seed: string };
    expect(stored.publicKey).toBe(publicKey);
    const second = await startTestHub(db);
    expect(second.app.get(DocumentSigner).publicKey).toBe(publicKey);
    expect(JSON.stringify(second.app.get(HubSigningKey))).not.toContain(stored.seed);
    await second.close();
    expect(JSON.stringify([...first.logs, ...second.logs])).not.toContain(stored.seed);
  });

  it('ROOMTONE_HUB_SIGNING_KEY gives the key instead: no file is written and documents carry its key id', async () => {
    const sodium = createNativeSodium();
    const seed = Buffer.alloc(32, 7);
    const expected = toBase64Url(sodium.signSeedKeypair(seed).publicKey);
    const hub = await startTestHub(db, { env: { ROOMTONE_HUB_SIGNING_KEY: toBase64Url(seed) } });
    const signer = hub.app.get(DocumentSigner);
    expect(signer.publicKey).toBe(expected);
    expect(signer.signedTime('a').signature.keyid).toBe(signer.keyId);
    expect(existsSync(join(db.dataDir, HUB_KEY_FILE))).toBe(false);
    await hub.close();
    expect(JSON.stringify(hub.logs)).not.toContain(toBase64Url(seed));
  });

  it('a malformed ROOMTONE_HUB_SIGNING_KEY stops the hub at boot naming the key (with the other trust settings)', () => {
    const nearMiss = toBase64Url(Buffer.alloc(32, 9)).slice(0, 42);
    expect(() => loadConfig({ ROOMTONE_HUB_SIGNING_KEY: nearMiss })).toThrow(
      'invalid configuration: ROOMTONE_HUB_SIGNING_KEY must be a base64url Ed25519 seed of 32 bytes (43 characters); unset it to keep the key in ROOMTONE_DATA_DIR (got [redacted])',
    );
    expect(() =>
      loadConfig({
        ROOMTONE_HUB_SIGNING_KEY: 'not-a-key',
        ROOMTONE_SIGNATURE_MAX_SKEW_S: '5',
        ROOMTONE_ENROLMENT_CODE_TTL_HOURS: '0',
      }),
    ).toThrow(
      /ROOMTONE_HUB_SIGNING_KEY must be a base64url Ed25519 seed.*ROOMTONE_SIGNATURE_MAX_SKEW_S must be a whole number of seconds \(10 to 3600\).*ROOMTONE_ENROLMENT_CODE_TTL_HOURS must be a whole number of hours \(1 to 168\)/,
    );
  });
});
