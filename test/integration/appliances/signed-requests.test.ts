import {
  createKeystore,
  enrolledKeystore,
  loadSodium,
  verifyDocument,
  type Keystore,
  type Sodium,
} from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { DatabaseNonceStore, SWEEP_CHUNK } from '../../../hub/src/appliances/signed-requests/database-nonce-store';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import type { TenantFixture } from '../authz/support/fixtures';
import { deviceClock, signedCall, signedHeaders, startApplianceHub, enrolInZone, type UserHeaders } from './support';

const START = '2026-11-24T10:00:00.000Z';

describe.each(databaseKinds())('RFC 9421 signed requests through @ApplianceAuth on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let clock: FixedClock;
  let sodium: Sodium;
  let base: string;
  let tenant: TenantFixture;
  let device: Keystore;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    clock = new FixedClock(START);
    let operator: UserHeaders;
    ({ hub, base, tenant, operator } = await startApplianceHub(db, clock, {
      // A tighter skew than the 300 s default proves the setting is read.
      env: { ROOMTONE_SIGNATURE_MAX_SKEW_S: '120' },
    }));
    device = await enrolInZone(base, sodium, clock, operator, tenant.venueId, tenant.zoneId);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  const whoami = () => `${base}/appliance/v1/whoami`;

  it('GET /appliance/v1/whoami answers the appliance, venue, zone and the hub time signed by the pinned key', async () => {
    const answer = await signedCall(sodium, deviceClock(clock), device, 'GET', whoami());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      applianceId: device.applianceId,
      venueId: tenant.venueId,
      zoneId: tenant.zoneId,
    });
    expect(verifyDocument(sodium, answer.body.time, device.hubPublicKey as Uint8Array)).toEqual({
      type: 'roomtone.hub-time',
      applianceId: device.applianceId,
      time: START,
    });
  });

  it('a replayed request (same nonce) is refused: SIGNATURE_NONCE_REPLAYED', async () => {
    const headers = signedHeaders(sodium, deviceClock(clock), device, 'GET', whoami());
    expect((await fetch(whoami(), { headers })).status).toBe(200);
    const replay = await fetch(whoami(), { headers });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({
      code: 'SIGNATURE_NONCE_REPLAYED',
      message: 'nonce already used: this request is a replay',
      details: { check: 'SIGNATURE_NONCE_REPLAYED' },
    });
  });

  it('clock skew beyond ROOMTONE_SIGNATURE_MAX_SKEW_S (120 s) is refused either way; within it is accepted', async () => {
    const late = await signedCall(sodium, deviceClock(clock, -121_000), device, 'GET', whoami());
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ code: 'SIGNATURE_CLOCK_SKEW' });
    expect(late.body.message).toMatch(/^signature created 121 s ago, beyond the 120 s allowed/);
    const early = await signedCall(sodium, deviceClock(clock, 121_000), device, 'GET', whoami());
    expect(early.body).toMatchObject({ code: 'SIGNATURE_CLOCK_SKEW' });
    expect((await signedCall(sodium, deviceClock(clock, -119_000), device, 'GET', whoami())).status).toBe(200);
  });

  it('an altered body is refused by its Content-Digest: SIGNATURE_DIGEST_MISMATCH', async () => {
    const url = `${base}/appliance/v1/keys/rotate`;
    const body = Buffer.from(JSON.stringify({ type: 'roomtone.key-rotation' }));
    const headers = signedHeaders(sodium, deviceClock(clock), device, 'POST', url, body);
    const altered = Buffer.from(JSON.stringify({ type: 'roomtone.key-rotatioN' }));
    const response = await fetch(url, { method: 'POST', headers, body: altered });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'SIGNATURE_DIGEST_MISMATCH' });
  });

  it('an altered path, method or query is refused: SIGNATURE_INVALID', async () => {
    const headers = signedHeaders(sodium, deviceClock(clock), device, 'GET', `${base}/appliance/v1/whoami?x=1`);
    const response = await fetch(whoami(), { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'SIGNATURE_INVALID' });
    const post = signedHeaders(sodium, deviceClock(clock), device, 'POST', whoami());
    const asGet = await fetch(whoami(), { headers: post });
    expect(await asGet.json()).toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('an unknown key id, a key the hub never registered, and an unsigned request are refused, each naming its check', async () => {
    const stranger = enrolledKeystore(createKeystore(sodium, clock.now()), {
      applianceId: '01900000-0000-7000-8000-000000000000',
      hubUrl: base,
      hubPublicKey: device.hubPublicKey as Uint8Array,
    });
    const unknown = await signedCall(sodium, deviceClock(clock), stranger, 'GET', whoami());
    expect([unknown.status, unknown.body.code]).toEqual([401, 'SIGNATURE_UNKNOWN_KEY']);
    const impostor = { ...stranger, applianceId: device.applianceId };
    const forged = await signedCall(sodium, deviceClock(clock), impostor, 'GET', whoami());
    expect([forged.status, forged.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    const unsigned = await fetch(whoami());
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ code: 'SIGNATURE_MISSING' });
  });

  it('nonces live in the database until their skew window ends, then the sweep deletes them', async () => {
    const store = hub.app.get(DatabaseNonceStore);
    const nonces = hub.app.get(DataSource).getRepository('SignatureNonce');
    const held = await nonces.count();
    expect(held).toBeGreaterThan(0);
    expect(await store.remember('k', 'nonce-1', 0, clock.now().getTime() + 1000)).toBe(true);
    expect(await store.remember('k', 'nonce-1', 0, clock.now().getTime() + 1000)).toBe(false);
    clock.advance(121_001 + 1000);
    expect(await store.sweep()).toBe(held + 1);
    expect(await nonces.count()).toBe(0);
  });

  it('a sweep of more expired nonces than one chunk deletes them all and only them; live ones still refuse replays', async () => {
    const store = hub.app.get(DatabaseNonceStore);
    const nonces = hub.app.get(DataSource).getRepository('SignatureNonce');
    const now = clock.now().getTime();
    const expired = 2 * SWEEP_CHUNK + 7;
    const rows = Array.from({ length: expired }, (_, i) => ({
      keyId: 'old',
      nonce: `n-${i}`,
      expiresAtMs: now - 1 - i,
    }));
    for (let i = 0; i < rows.length; i += 500) await nonces.insert(rows.slice(i, i + 500));
    expect(await store.remember('live', 'n-1', 0, now + 60_000)).toBe(true);
    expect(await store.sweep()).toBe(expired);
    expect(await nonces.count()).toBe(1);
    expect(await store.remember('live', 'n-1', 0, now + 60_000)).toBe(false);
    expect(await store.sweep()).toBe(0);
  });
});
