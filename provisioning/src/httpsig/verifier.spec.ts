import { FixedClock } from '../clock';
import { isProvisioningError, type ProvisioningErrorCode } from '../errors';
import { generateApplianceKeys } from '../keys/appliance-keys';
import { createNativeSodium } from '../sodium/native';
import { MemoryNonceStore } from './nonce-store';
import { signRequest } from './signer';
import { type IncomingRequest, type KnownKey, verifyRequest } from './verifier';

const sodium = createNativeSodium();
const keys = generateApplianceKeys(sodium);
const T0 = Date.UTC(2026, 10, 24, 3, 0, 0);
const URL_ = 'https://hub.example.com/api/appliances/app-1/check-in?x=1';
// RFC 9530 section 2 example body, whose sha-256 digest the RFC gives.
const body = Buffer.from('{"hello": "world"}');

function setup(known: Record<string, KnownKey> = { 'app-1': { publicKey: keys.signing.publicKey, revoked: false } }) {
  const clock = new FixedClock(T0);
  const nonces = new MemoryNonceStore(1000);
  const deps = { sodium, clock, nonces, lookupKey: (id: string) => known[id] };
  const sign = (method = 'POST', url = URL_, b: Buffer | null = body) => {
    const headers = signRequest(
      { method, url, body: b ?? undefined },
      { sodium, keyId: 'app-1', secretKey: keys.signing.secretKey, clock },
    );
    return { method, targetUri: url, headers: { ...headers }, body: b ?? undefined } as IncomingRequest;
  };
  return { clock, nonces, deps, sign };
}

async function code(promise: Promise<unknown>): Promise<ProvisioningErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isProvisioningError(error)) return error.code;
    throw error;
  }
}

describe('RFC 9421 ed25519 request signatures', () => {
  it('serializes Signature-Input, Signature and Content-Digest per RFC 9421/9530', () => {
    const { sign } = setup();
    const { headers } = sign();
    expect(headers['content-digest']).toBe('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
    expect(headers['signature-input']).toMatch(
      /^sig1=\("@method" "@target-uri" "content-digest"\);created=1795489200;keyid="app-1";nonce="[A-Za-z0-9_-]{22}";alg="ed25519"$/,
    );
    expect(headers.signature).toMatch(/^sig1=:[A-Za-z0-9+/]{86}==:$/);
  });

  it('accepts a correctly signed request and returns the key id', async () => {
    const { deps, sign } = setup();
    await expect(verifyRequest(sign(), deps)).resolves.toMatchObject({
      keyId: 'app-1',
      label: 'sig1',
      created: T0 / 1000,
    });
  });

  it('accepts a GET without body (content-digest not required)', async () => {
    const { deps, sign } = setup();
    expect(await code(verifyRequest(sign('GET', URL_, null), deps))).toBe('ok');
  });

  it('replayed nonce is refused', async () => {
    const { deps, sign } = setup();
    const request = sign();
    expect(await code(verifyRequest(request, deps))).toBe('ok');
    expect(await code(verifyRequest(request, deps))).toBe('SIGNATURE_NONCE_REPLAYED');
  });

  it('clock skew beyond 300 s either way is refused; within it passes', async () => {
    const { deps, sign, clock } = setup();
    const request = sign();
    clock.advance(301_000);
    expect(await code(verifyRequest(request, deps))).toBe('SIGNATURE_CLOCK_SKEW');
    clock.advance(-602_000);
    expect(await code(verifyRequest(request, deps))).toBe('SIGNATURE_CLOCK_SKEW');
    clock.advance(600_000);
    expect(await code(verifyRequest(request, deps))).toBe('ok');
  });

  it('configurable skew', async () => {
    const { deps, sign, clock } = setup();
    const request = sign();
    clock.advance(61_000);
    expect(await code(verifyRequest(request, { ...deps, maxSkewMs: 60_000 }))).toBe('SIGNATURE_CLOCK_SKEW');
  });

  it('body that does not match its digest is refused', async () => {
    const { deps, sign } = setup();
    const request = sign();
    expect(await code(verifyRequest({ ...request, body: Buffer.from('{"status":"evil"}') }, deps))).toBe(
      'SIGNATURE_DIGEST_MISMATCH',
    );
  });

  it('altered method or URI is a bad signature', async () => {
    const { deps, sign } = setup();
    expect(await code(verifyRequest({ ...sign(), method: 'PUT' }, deps))).toBe('SIGNATURE_INVALID');
    expect(await code(verifyRequest({ ...sign(), targetUri: URL_.replace('app-1', 'app-2') }, deps))).toBe(
      'SIGNATURE_INVALID',
    );
    expect(await code(verifyRequest({ ...sign(), targetUri: URL_.replace('x=1', 'x=2') }, deps))).toBe(
      'SIGNATURE_INVALID',
    );
  });

  it('unknown and revoked keys, with the revocation reason', async () => {
    const unknown = setup({});
    expect(await code(verifyRequest(unknown.sign(), unknown.deps))).toBe('SIGNATURE_UNKNOWN_KEY');
    const revoked = setup({
      'app-1': { publicKey: keys.signing.publicKey, revoked: true, revokedReason: 'replaced by app-7' },
    });
    await expect(verifyRequest(revoked.sign(), revoked.deps)).rejects.toThrow(
      'appliance app-1 is revoked: replaced by app-7',
    );
  });

  it('a signature by another key is refused', async () => {
    const other = generateApplianceKeys(sodium);
    const { deps, sign } = setup({ 'app-1': { publicKey: other.signing.publicKey, revoked: false } });
    expect(await code(verifyRequest(sign(), deps))).toBe('SIGNATURE_INVALID');
  });

  it('missing signature headers', async () => {
    const { deps } = setup();
    expect(await code(verifyRequest({ method: 'GET', targetUri: URL_, headers: {} }, deps))).toBe('SIGNATURE_MISSING');
  });

  it('a body whose digest is not covered is refused as not covered', async () => {
    const { deps, sign } = setup();
    const request = sign('POST', URL_, null);
    expect(await code(verifyRequest({ ...request, body }, deps))).toBe('SIGNATURE_COMPONENT_NOT_COVERED');
  });

  it('malformed headers: garbage, wrong alg, short signature', async () => {
    const { deps, sign } = setup();
    const r = sign();
    const h = r.headers as Record<string, string>;
    expect(await code(verifyRequest({ ...r, headers: { ...h, 'signature-input': 'sig1=(' } }, deps))).toBe(
      'SIGNATURE_MALFORMED',
    );
    expect(
      await code(
        verifyRequest(
          { ...r, headers: { ...h, 'signature-input': h['signature-input'].replace('ed25519', 'rsa-pss-sha512') } },
          deps,
        ),
      ),
    ).toBe('SIGNATURE_MALFORMED');
    expect(await code(verifyRequest({ ...r, headers: { ...h, signature: 'sig1=:AAAA:' } }, deps))).toBe(
      'SIGNATURE_MALFORMED',
    );
  });

  it('headers are matched case-insensitively (frameworks differ)', async () => {
    const { deps, sign } = setup();
    const r = sign();
    const upper = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(await code(verifyRequest({ ...r, headers: upper }, deps))).toBe('ok');
  });

  it('a full nonce store never lets a replay through', () => {
    const store = new MemoryNonceStore(10);
    for (let i = 0; i < 10; i++) expect(store.remember('k', `n${i}`, T0 + i, T0 + 300_000, T0)).toBe(true);
    expect(store.remember('k', 'n10', T0 + 10, T0 + 300_000, T0)).toBe(true); // evicts the oldest
    expect(store.size).toBeLessThanOrEqual(10);
    expect(store.remember('k', 'n0', T0, T0 + 300_000, T0)).toBe(false); // evicted, but refused by the floor
    expect(store.remember('k', 'n10', T0 + 10, T0 + 300_000, T0)).toBe(false);
  });
});
