import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decryptToBuffer, loadSodium, type Keystore, type Sodium, trackRecipientOf } from '@roomtone/provisioning';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { PlansService } from '../../../hub/src/plans';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import {
  deviceClock,
  signedHeaders,
  userHeaders,
  type UserHeaders,
  startApplianceHub,
  enrolInZone,
} from '../appliances/support';
import type { TenantFixture } from '../authz/support/fixtures';
import { createProgramme, readyTrack } from '../plans/support';

const START = '2026-11-24T10:00:00.000Z';

/**
 * Delivery against a real compiled plan (no test double for plans): a programme, a published schedule and a full
 * licence decide what the appliance may download.
 */
describe.each(databaseKinds())('delivery follows the zone’s published plan (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let base: string;
  let sodium: Sodium;
  const clock = new FixedClock(START);
  let tenant: TenantFixture;
  let operator: UserHeaders;
  let manager: UserHeaders;
  let device: Keystore;
  let planned: { id: string; deliveryPath: string };
  let unplanned: { id: string; deliveryPath: string };

  const send = async (user: UserHeaders, method: string, url: string, json?: unknown) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: { ...user, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const download = (id: string) => {
    const url = `${base}/appliance/v1/tracks/${id}`;
    return fetch(url, { headers: signedHeaders(sodium, deviceClock(clock), device, 'GET', url) });
  };

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    ({ hub, base, tenant, operator } = await startApplianceHub(db, clock, {
      env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' },
      tenantName: 'Gamma',
    }));
    manager = await userHeaders(hub, tenant.users.venue_manager.email);
    // Three chunks and a bit; and one the programme does not name.
    planned = await readyTrack(hub.app, db.dataDir, tenant.labelId, 'Planned', 3 * 65_536 + 5);
    unplanned = await readyTrack(hub.app, db.dataDir, tenant.labelId, 'Unplanned', 1000);
    const programme = await createProgramme(hub.app, tenant.businessId, 'All day', [planned.id]);
    await send(operator, 'POST', `/venues/${tenant.venueId}/licences`, {
      tier: 'full',
      validFrom: '2026-11-01T00:00:00.000Z',
      validUntil: '2027-11-01T00:00:00.000Z',
      leaseDays: 7,
    });
    device = await enrolInZone(base, sodium, clock, operator, tenant.venueId, tenant.zoneId);
    await send(manager, 'PUT', `/zones/${tenant.zoneId}/schedule/draft`, {
      version: 1,
      zone: 'Europe/Berlin',
      blocks: [{ id: 'day', rule: { cron: '0 9 * * *' }, duration: 'PT8H', programme, volume: 50 }],
    });
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  test('before any plan is published the zone has none: 403 NOT_IN_PLAN saying to publish the schedule', async () => {
    const current = await hub.app.get(PlansService).current(tenant.zoneId);
    if (current !== null) expect(current.trackIds.has(planned.id)).toBe(false);
    const response = await download(planned.id);
    expect(response.status).toBe(403);
    expect(JSON.parse(await response.text())).toMatchObject({ code: 'NOT_IN_PLAN' });
  });

  test('after publishing, a track of the plan downloads and decrypts to its delivery file; others stay 403', async () => {
    await send(manager, 'POST', `/zones/${tenant.zoneId}/schedule/publish`);
    expect((await hub.app.get(PlansService).current(tenant.zoneId))?.trackIds.has(planned.id)).toBe(true);
    const response = await download(planned.id);
    expect(response.status).toBe(200);
    const plain = await decryptToBuffer(sodium, Buffer.from(await response.arrayBuffer()), trackRecipientOf(device));
    const expected = await readFile(planned.deliveryPath);
    expect(createHash('sha256').update(plain).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    const refused = await download(unplanned.id);
    expect(refused.status).toBe(403);
    expect(JSON.parse(await refused.text())).toMatchObject({
      code: 'NOT_IN_PLAN',
      message: expect.stringMatching(/not in this zone's current plan/),
    });
  });
});
