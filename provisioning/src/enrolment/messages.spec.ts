import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../clock';
import { isProvisioningError } from '../errors';
import { generateApplianceKeys } from '../keys/appliance-keys';
import { loadOrCreateHubSigningKey } from '../keys/hub-key';
import { createNativeSodium } from '../sodium/native';
import { generateEnrolmentCode } from './code';
import {
  createEnrolmentRequest,
  createEnrolmentResponse,
  verifyEnrolmentRequest,
  verifyEnrolmentResponse,
} from './messages';
import { createKeyRotation, verifyKeyRotation } from './rotation';

const sodium = createNativeSodium();
const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isProvisioningError(error)) return error.code;
    throw error;
  }
  return 'ok';
}

describe('enrolment request and response', () => {
  const keys = generateApplianceKeys(sodium);
  const clock = new FixedClock(T0);
  const code = generateEnrolmentCode((n) => sodium.randomBytes(n));

  it('device proves possession; hub verifies and returns the public keys', () => {
    const request = createEnrolmentRequest(sodium, keys, code, clock);
    expect(request.createdAt).toBe('2026-11-24T09:00:00.000Z');
    const verified = verifyEnrolmentRequest(sodium, JSON.parse(JSON.stringify(request)), { clock });
    expect(verified.code).toBe(code.replace('-', ''));
    expect(Buffer.from(verified.publicKeys.signing)).toEqual(Buffer.from(keys.signing.publicKey));
  });

  it('refuses swapped keys (no proof of possession), a changed code, skew and garbage', () => {
    const request = createEnrolmentRequest(sodium, keys, code, clock);
    const other = generateApplianceKeys(sodium);
    const swapped = {
      ...request,
      publicKeys: { ...request.publicKeys, encryption: Buffer.from(other.encryption.publicKey).toString('base64url') },
    };
    expect(codeOf(() => verifyEnrolmentRequest(sodium, swapped, { clock }))).toBe('ENROLMENT_SIGNATURE_INVALID');
    const otherCode = generateEnrolmentCode((n) => sodium.randomBytes(n)).replace('-', '');
    expect(codeOf(() => verifyEnrolmentRequest(sodium, { ...request, code: otherCode }, { clock }))).toBe(
      'ENROLMENT_SIGNATURE_INVALID',
    );
    expect(codeOf(() => verifyEnrolmentRequest(sodium, request, { clock: new FixedClock(T0 + 301_000) }))).toBe(
      'ENROLMENT_CLOCK_SKEW',
    );
    expect(codeOf(() => verifyEnrolmentRequest(sodium, { ...request, nonce: 'x' }, { clock }))).toBe(
      'ENROLMENT_MESSAGE_INVALID',
    );
    expect(codeOf(() => verifyEnrolmentRequest(sodium, null, { clock }))).toBe('ENROLMENT_MESSAGE_INVALID');
  });

  it('the response is signed by the hub key it announces and bound to the request nonce', async () => {
    const hubKey = await loadOrCreateHubSigningKey(sodium, { dataDir: mkdtempSync(join(tmpdir(), 'hub-')) });
    const request = createEnrolmentRequest(sodium, keys, code, clock);
    const response = createEnrolmentResponse(hubKey, 'app-17', request.nonce);
    const pinned = verifyEnrolmentResponse(sodium, JSON.parse(JSON.stringify(response)), request);
    expect(pinned.applianceId).toBe('app-17');
    expect(Buffer.from(pinned.hubPublicKey)).toEqual(Buffer.from(hubKey.publicKey));
    const another = createEnrolmentRequest(sodium, keys, code, clock);
    expect(codeOf(() => verifyEnrolmentResponse(sodium, response, another))).toBe('ENROLMENT_SIGNATURE_INVALID');
    const forged = { ...response, payload: { ...response.payload, applianceId: 'app-18' } };
    expect(codeOf(() => verifyEnrolmentResponse(sodium, forged, request))).toBe('DOCUMENT_SIGNATURE_INVALID');
  });
});

describe('key rotation', () => {
  const clock = new FixedClock(T0);
  const current = generateApplianceKeys(sodium);
  const next = generateApplianceKeys(sodium);
  const expected = { applianceId: 'app-1', currentSigningKey: current.signing.publicKey, clock };

  it('new keys signed by the old and the new key are accepted', () => {
    const message = createKeyRotation(sodium, 'app-1', current, next, clock);
    const keys = verifyKeyRotation(sodium, JSON.parse(JSON.stringify(message)), expected);
    expect(Buffer.from(keys.signing)).toEqual(Buffer.from(next.signing.publicKey));
    expect(Buffer.from(keys.encryption)).toEqual(Buffer.from(next.encryption.publicKey));
  });

  it('refuses rotation signed by a stranger, for another appliance, or stale', () => {
    const stranger = generateApplianceKeys(sodium);
    expect(
      codeOf(() => verifyKeyRotation(sodium, createKeyRotation(sodium, 'app-1', stranger, next, clock), expected)),
    ).toBe('ROTATION_MESSAGE_INVALID');
    const m = createKeyRotation(sodium, 'app-1', current, next, clock);
    expect(
      codeOf(() =>
        verifyKeyRotation(sodium, { ...m, signatures: { ...m.signatures, previous: m.signatures.next } }, expected),
      ),
    ).toBe('ROTATION_SIGNATURE_INVALID');
    expect(
      codeOf(() =>
        verifyKeyRotation(sodium, { ...m, signatures: { ...m.signatures, next: m.signatures.previous } }, expected),
      ),
    ).toBe('ROTATION_SIGNATURE_INVALID');
    expect(codeOf(() => verifyKeyRotation(sodium, m, { ...expected, applianceId: 'app-2' }))).toBe(
      'ROTATION_MESSAGE_INVALID',
    );
    expect(codeOf(() => verifyKeyRotation(sodium, m, { ...expected, clock: new FixedClock(T0 + 3_600_000) }))).toBe(
      'ROTATION_MESSAGE_INVALID',
    );
  });
});
