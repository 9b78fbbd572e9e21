import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from './clock';
import { signDocument, verifyDocument } from './documents/signed-document';
import { generateEnrolmentCode } from './enrolment/code';
import {
  createEnrolmentRequest,
  createEnrolmentResponse,
  verifyEnrolmentRequest,
  verifyEnrolmentResponse,
} from './enrolment/messages';
import { httpStatusFor, isProvisioningError } from './errors';
import { loadOrCreateHubSigningKey } from './keys/hub-key';
import { createKeystore, enrolledKeystore } from './keys/keystore';
import { MemoryNonceStore } from './httpsig/nonce-store';
import { signRequest } from './httpsig/signer';
import { type KnownKey, verifyRequest } from './httpsig/verifier';
import { createNativeSodium } from './sodium/native';

// The whole library-level trust story in one pass: a code, enrolment with proof of possession, a pinned hub key,
// signed requests accepted, a revoked appliance refused with its reason, a hub document checked on the device.
describe('trust flow: enrol with a code, sign requests, get revoked', () => {
  it('an appliance enrolled with a code makes signed requests; once revoked it cannot', async () => {
    const sodium = createNativeSodium();
    const clock = new FixedClock(Date.UTC(2026, 10, 24, 10));
    const hubKey = await loadOrCreateHubSigningKey(sodium, { dataDir: mkdtempSync(join(tmpdir(), 'trust-')) });
    const registry = new Map<string, KnownKey>();

    // installer gets a code; the device enrols
    const code = generateEnrolmentCode((n) => sodium.randomBytes(n));
    const device = createKeystore(sodium, new Date(clock.now()));
    const request = createEnrolmentRequest(sodium, device.keys, code.toLowerCase(), clock);
    const verified = verifyEnrolmentRequest(sodium, JSON.parse(JSON.stringify(request)), { clock });
    registry.set('app-1', { publicKey: verified.publicKeys.signing, revoked: false });
    const response = createEnrolmentResponse(hubKey, 'app-1', verified.nonce);
    const pinned = verifyEnrolmentResponse(sodium, JSON.parse(JSON.stringify(response)), request);
    const keystore = enrolledKeystore(device, { ...pinned, hubUrl: 'https://hub.example.com' });

    // signed requests
    const deps = { sodium, clock, nonces: new MemoryNonceStore(), lookupKey: (id: string) => registry.get(id) };
    const send = () => {
      const url = 'https://hub.example.com/api/appliances/app-1/check-in';
      const body = Buffer.from('{}');
      const headers = signRequest(
        { method: 'POST', url, body },
        { sodium, keyId: keystore.applianceId!, secretKey: keystore.keys.signing.secretKey, clock },
      );
      return verifyRequest({ method: 'POST', targetUri: url, headers: { ...headers }, body }, deps);
    };
    await expect(send()).resolves.toMatchObject({ keyId: 'app-1' });

    // documents from the hub verify against the pinned key
    const plan = signDocument(hubKey, { zone: 'z-1', volume: 0.5 });
    expect(verifyDocument(sodium, plan, keystore.hubPublicKey!)).toEqual({ zone: 'z-1', volume: 0.5 });

    // revoked: refused with the reason, as a 401
    registry.set('app-1', {
      publicKey: verified.publicKeys.signing,
      revoked: true,
      revokedReason: 'replaced by app-2',
    });
    const error = await send().catch((e: unknown) => e);
    expect(isProvisioningError(error, 'SIGNATURE_KEY_REVOKED')).toBe(true);
    expect((error as Error).message).toBe('appliance app-1 is revoked: replaced by app-2');
    expect(httpStatusFor('SIGNATURE_KEY_REVOKED')).toBe(401);
  });
});
