import { createKeyRotation, generateApplianceKeys, loadSodium, toBase64Url, type Sodium } from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { createTenant, type TenantFixture } from '../authz/support/fixtures';
import {
  call,
  deviceClock,
  enrolDevice,
  issueCode,
  signedCall,
  userHeaders,
  type UserHeaders,
  startApplianceHub,
  enrolInZone,
} from './support';

const START = '2026-11-24T11:00:00.000Z';

describe.each(databaseKinds())('bundle, revoke, replace and rotate on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let clock: FixedClock;
  let sodium: Sodium;
  let base: string;
  let alpha: TenantFixture;
  let beta: TenantFixture;
  let operator: UserHeaders;
  let manager: UserHeaders;
  let betaManager: UserHeaders;
  let installer: UserHeaders;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    clock = new FixedClock(START);
    ({ hub, base, tenant: alpha, operator } = await startApplianceHub(db, clock));
    beta = await createTenant(hub.app, 'Beta');
    manager = await userHeaders(hub, 'venue_manager@alpha.test');
    betaManager = await userHeaders(hub, 'venue_manager@beta.test');
    installer = await userHeaders(hub, 'installer@alpha.test');
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  const appliances = () => hub.app.get(DataSource).getRepository('Appliance');
  const whoami = () => `${base}/appliance/v1/whoami`;
  const keysOf = () => {
    const keys = generateApplianceKeys(sodium);
    return {
      keys,
      publicKeys: { signing: toBase64Url(keys.signing.publicKey), encryption: toBase64Url(keys.encryption.publicKey) },
    };
  };

  it('bundle: an operator registers N key sets as appliances of the venue, not in a zone, in request order', async () => {
    const sets = [keysOf(), keysOf(), keysOf()];
    const path = `/api/venues/${alpha.venueId}/appliances/bundle`;
    const json = { appliances: sets.map((s) => ({ publicKeys: s.publicKeys })) };
    expect((await call(base, 'POST', path, { headers: installer, json })).status).toBe(403);
    const answer = await call(base, 'POST', path, { headers: operator, json });
    expect(answer.status).toBe(201);
    const listed = answer.body.appliances as { id: string; signing: string }[];
    expect(listed.map((a) => a.signing)).toEqual(sets.map((s) => s.publicKeys.signing));
    expect(answer.body.hubPublicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const a of listed) {
      expect(await appliances().findOneByOrFail({ id: a.id })).toMatchObject({
        venueId: alpha.venueId,
        zoneId: null,
        status: 'active',
        enrolledVia: 'bundle',
      });
    }
    const again = await call(base, 'POST', path, { headers: operator, json: { appliances: [json.appliances[0]] } });
    expect([again.status, again.body.code]).toEqual([409, 'CONFLICT']);
    const twice = await call(base, 'POST', path, {
      headers: operator,
      json: { appliances: [json.appliances[1], json.appliances[1]] },
    });
    expect([twice.status, twice.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const bad = await call(base, 'POST', path, {
      headers: operator,
      json: { appliances: [{ publicKeys: { signing: 'x', encryption: 'y' } }] },
    });
    expect(bad.status).toBe(400);
  });

  it('revoke: every further signed request fails with 401 and the reason, at once; managers of other venues get 404', async () => {
    const device = await enrolInZone(base, sodium, clock, operator, beta.venueId, beta.zoneId);
    expect((await signedCall(sodium, deviceClock(clock), device, 'GET', whoami())).status).toBe(200);
    const path = `/appliances/${device.applianceId}/revoke`;
    const foreign = await call(base, 'POST', path, { headers: manager, json: { reason: 'lost' } });
    expect(foreign.status).toBe(404);
    const revoked = await call(base, 'POST', path, { headers: betaManager, json: { reason: 'stolen from the shop' } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedReason: 'stolen from the shop', revokedAt: START });
    const refused = await signedCall(sodium, deviceClock(clock), device, 'GET', whoami());
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      code: 'SIGNATURE_KEY_REVOKED',
      message: `appliance ${device.applianceId} is revoked: stolen from the shop`,
      details: { reason: 'stolen from the shop' },
    });
    const audit = await hub.app
      .get(DataSource)
      .getRepository('AuditEntry')
      .findOneByOrFail({ action: 'appliance.revoke', entityId: device.applianceId as string });
    expect(audit).toMatchObject({
      actorEmail: 'venue_manager@beta.test',
      after: JSON.stringify({ status: 'revoked', reason: 'stolen from the shop' }),
    });
  });

  it('replace: a spare appliance of the venue takes over the zone, the old one is revoked, lineage both ways', async () => {
    const old = await enrolInZone(base, sodium, clock, installer, alpha.venueId, alpha.zoneId);
    const spare = keysOf();
    const bundled = await call(base, 'POST', `/api/venues/${alpha.venueId}/appliances/bundle`, {
      headers: operator,
      json: { appliances: [{ publicKeys: spare.publicKeys }] },
    });
    const spareId = (bundled.body.appliances as { id: string }[])[0].id;
    const path = `/zones/${alpha.zoneId}/replace-appliance`;
    expect((await call(base, 'POST', path, { headers: betaManager, json: { applianceId: spareId } })).status).toBe(404);
    const replaced = await call(base, 'POST', path, { headers: installer, json: { applianceId: spareId } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      zoneId: alpha.zoneId,
      appliance: { id: spareId, zoneId: alpha.zoneId, status: 'active', replacesId: old.applianceId },
      replaced: {
        id: old.applianceId,
        zoneId: null,
        status: 'revoked',
        replacedById: spareId,
        revokedReason: `replaced by appliance ${spareId}`,
      },
    });
    const oldRefused = await signedCall(sodium, deviceClock(clock), old, 'GET', whoami());
    expect(oldRefused.body).toMatchObject({ code: 'SIGNATURE_KEY_REVOKED' });
    const again = await call(base, 'POST', path, { headers: installer, json: { applianceId: spareId } });
    expect(again.status).toBe(409);
  });

  it('rotate: new keys signed by the old and the new; afterwards the old key fails and the new one works', async () => {
    const device = await enrolDevice(
      base,
      sodium,
      deviceClock(clock),
      await issueCode(base, operator, beta.venueId, beta.zoneId, { replace: true }),
    );
    const next = generateApplianceKeys(sodium);
    const url = `${base}/appliance/v1/keys/rotate`;
    const stranger = generateApplianceKeys(sodium);
    const forged = createKeyRotation(sodium, device.applianceId as string, stranger, next, deviceClock(clock));
    const refused = await signedCall(sodium, deviceClock(clock), device, 'POST', url, forged);
    expect([refused.status, refused.body.code]).toEqual([400, 'KEY_ROTATION_INVALID']);
    const message = createKeyRotation(sodium, device.applianceId as string, device.keys, next, deviceClock(clock));
    const rotated = await signedCall(sodium, deviceClock(clock), device, 'POST', url, message);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ applianceId: device.applianceId, signingKey: toBase64Url(next.signing.publicKey) });
    expect(await appliances().findOneByOrFail({ id: device.applianceId as string })).toMatchObject({
      signingKey: toBase64Url(next.signing.publicKey),
      encryptionKey: toBase64Url(next.encryption.publicKey),
      keysRotatedAt: new Date(START),
    });
    const withOld = await signedCall(sodium, deviceClock(clock), device, 'GET', whoami());
    expect([withOld.status, withOld.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    const withNew = await signedCall(sodium, deviceClock(clock), { ...device, keys: next }, 'GET', whoami());
    expect(withNew.status).toBe(200);
  });
});
