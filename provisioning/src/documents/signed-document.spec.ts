import { inspect } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProvisioningError } from '../errors';
import { loadOrCreateHubSigningKey } from '../keys/hub-key';
import { createNativeSodium } from '../sodium/native';
import { canonicalize } from './jcs';
import { signDocument, verifyDocument } from './signed-document';

const sodium = createNativeSodium();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isProvisioningError(error)) return error.code;
    throw error;
  }
  return 'ok';
}

describe('RFC 8785 canonical JSON', () => {
  it('RFC 8785 section 3.2.2 example: numbers, escapes, literals', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('RFC 8785 section 3.2.3: members sorted by UTF-16 code units', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(Object.values(JSON.parse(canonicalize(input)) as Record<string, string>)).toEqual(expect.any(Array));
    const order = [...canonicalize(input).matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('refuses what JSON cannot carry', () => {
    expect(codeOf(() => canonicalize({ a: NaN }))).toBe('DOCUMENT_MALFORMED');
    expect(codeOf(() => canonicalize({ a: '\ud800' }))).toBe('DOCUMENT_MALFORMED');
    expect(codeOf(() => canonicalize({ a: new Date(0) }))).toBe('DOCUMENT_MALFORMED');
  });
});

describe('hub-signed documents', () => {
  let key: Awaited<ReturnType<typeof loadOrCreateHubSigningKey>>;
  beforeAll(async () => {
    key = await loadOrCreateHubSigningKey(sodium, { dataDir: mkdtempSync(join(tmpdir(), 'hubkey-')) });
  });

  it('verifies against the pinned key, whatever the member order', () => {
    const doc = signDocument(key, { zone: 'z1', blocks: [{ from: '2026-11-24T08:00:00Z', volume: 0.6 }] });
    const reordered = JSON.parse(
      JSON.stringify({ signature: doc.signature, payload: { blocks: doc.payload.blocks, zone: 'z1' } }),
    ) as unknown;
    expect(verifyDocument(sodium, reordered, key.publicKey)).toEqual(doc.payload);
  });

  it('refuses an altered payload, another key, another algorithm, extra envelope fields', async () => {
    const doc = signDocument(key, { volume: 0.5 });
    expect(codeOf(() => verifyDocument(sodium, { ...doc, payload: { volume: 0.9 } }, key.publicKey))).toBe(
      'DOCUMENT_SIGNATURE_INVALID',
    );
    const other = await loadOrCreateHubSigningKey(sodium, { dataDir: mkdtempSync(join(tmpdir(), 'hubkey-')) });
    expect(codeOf(() => verifyDocument(sodium, doc, other.publicKey))).toBe('DOCUMENT_WRONG_KEY');
    expect(
      codeOf(() => verifyDocument(sodium, { ...doc, signature: { ...doc.signature, alg: 'none' } }, key.publicKey)),
    ).toBe('DOCUMENT_MALFORMED');
    expect(codeOf(() => verifyDocument(sodium, { ...doc, extra: 1 }, key.publicKey))).toBe('DOCUMENT_MALFORMED');
    expect(codeOf(() => verifyDocument(sodium, 'x', key.publicKey))).toBe('DOCUMENT_MALFORMED');
  });

  it('the hub key never shows its secret in logs or JSON', () => {
    const shown = `${inspect(key)} ${JSON.stringify(key)} ${JSON.stringify({ key })}`;
    expect(shown).toContain(key.keyId);
    expect(shown).toContain('[redacted]');
    expect(shown).not.toMatch(/seed|secretKey":/);
  });
});
