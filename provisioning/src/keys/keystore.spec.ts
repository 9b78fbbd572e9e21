import { inspect } from 'node:util';
import { isProvisioningError } from '../errors';
import { createNativeSodium } from '../sodium/native';
import { createKeystore, enrolledKeystore, parseKeystore, serializeKeystore } from './keystore';

const sodium = createNativeSodium();
const now = new Date(Date.UTC(2026, 10, 24));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isProvisioningError(error)) return error.code;
    throw error;
  }
  return 'ok';
}

describe('keystore text', () => {
  const keystore = createKeystore(sodium, now);
  const text = serializeKeystore(keystore);

  it('round-trips, unenrolled and enrolled', () => {
    const parsed = parseKeystore(sodium, text, 'ks.json');
    expect(parsed.applianceId).toBeNull();
    expect(Buffer.from(parsed.keys.signing.publicKey)).toEqual(Buffer.from(keystore.keys.signing.publicKey));
    const enrolled = enrolledKeystore(keystore, {
      applianceId: 'app-1',
      hubUrl: 'https://hub',
      hubPublicKey: Buffer.alloc(32, 1),
    });
    expect(parseKeystore(sodium, serializeKeystore(enrolled), 'ks.json')).toMatchObject({
      applianceId: 'app-1',
      hubUrl: 'https://hub',
    });
  });

  it('refuses truncated, empty, wrong version and inconsistent keystores', () => {
    expect(codeOf(() => parseKeystore(sodium, text.slice(0, text.length / 2), 'ks.json'))).toBe('KEYSTORE_CORRUPT');
    expect(codeOf(() => parseKeystore(sodium, '', 'ks.json'))).toBe('KEYSTORE_CORRUPT');
    expect(codeOf(() => parseKeystore(sodium, text.replace('"version": 1', '"version": 2'), 'ks.json'))).toBe(
      'KEYSTORE_VERSION',
    );
    const doc = JSON.parse(text) as { signing: { publicKey: string } };
    doc.signing.publicKey = Buffer.alloc(32).toString('base64url');
    expect(codeOf(() => parseKeystore(sodium, JSON.stringify(doc), 'ks.json'))).toBe('KEYSTORE_CORRUPT');
  });

  it('secrets are redacted when a keystore is logged', () => {
    const shown = `${inspect(keystore, { depth: 5 })} ${JSON.stringify(keystore)}`;
    const seed = Buffer.from(keystore.keys.signing.seed.expose()).toString('base64url');
    expect(shown).not.toContain(seed);
    expect(shown).toContain('[redacted]');
  });
});
