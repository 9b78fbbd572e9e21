import { loadSodium, type PlanEnvelope } from '@roomtone/provisioning';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { PlanWorker, PlansService } from '../../../hub/src/plans';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createUser } from '../authz/support/fixtures';
import { createCaller, type Caller } from '../authz/support/matrix-fixtures';
import { createTenant, type TenantFixture } from '../authz/support/fixtures';
import { assembledPlan } from './support';

jest.setTimeout(60_000);

describe.each(databaseKinds())('plans without a schedule (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let tenant: TenantFixture;
  let operator: Caller;
  let plans: PlansService;
  let worker: PlanWorker;
  const clock = new FixedClock('2026-11-24T10:00:00.000Z');

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0', ROOMTONE_PLAN_HORIZON_DAYS: '7' },
      customise: (b) =>
        b.overrideProvider(PasswordHasher).useValue(cheapHasher).overrideProvider(Clock).useValue(clock),
    });
    plans = hub.app.get(PlansService);
    worker = hub.app.get(PlanWorker);
    tenant = await createTenant(hub.app, 'Basic');
    await createUser(hub.app, 'op@basic.test', true);
    operator = await createCaller(hub.app, 'operator', 'op@basic.test');
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('a zone never compiled has no plan: current() is null and the dashboard view says so', async () => {
    expect(await plans.current(tenant.zoneId)).toBeNull();
    const view = await request(hub.app.getHttpServer())
      .get(`/zones/${tenant.zoneId}/plan`)
      .set('Authorization', `Bearer ${operator.token}`)
      .expect(200);
    expect(view.body).toEqual({ plan: null, etag: null, reason: null });
  });

  it('a licence for the venue compiles its zones: silence (scheduleVersion 0) with the licence terms, signed', async () => {
    const licence = await request(hub.app.getHttpServer())
      .post(`/venues/${tenant.venueId}/licences`)
      .set('Authorization', `Bearer ${operator.token}`)
      .send({ tier: 'full', validFrom: '2026-11-01T00:00:00Z', validUntil: '2027-11-01T00:00:00Z', leaseDays: 7 })
      .expect(201);
    const pending = await hub.app.get(DataSource).query('SELECT scope, scope_id FROM plan_invalidations');
    expect(pending).toEqual([{ scope: 'venue', scope_id: tenant.venueId }]);
    expect(await worker.runOnce()).toMatchObject({ invalidations: 1, invalidatedZones: 1 });
    expect(await hub.app.get(DataSource).query('SELECT scope FROM plan_invalidations')).toEqual([]);
    const current = (await plans.current(tenant.zoneId))!;
    expect(current).toMatchObject({ zoneId: tenant.zoneId, venueId: tenant.venueId, licenceTier: 'full' });
    expect(current.trackIds.size).toBe(0);
    expect(current.until.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    const sodium = await loadSodium();
    const { plan: payload, envelope } = await assembledPlan(hub.app, sodium, current.json);
    expect(envelope.timeline.bytes).toBe('{"intervals":[],"type":"roomtone.plan-timeline"}'.length);
    expect(payload).toEqual({
      type: 'roomtone.plan',
      formatVersion: 1,
      planId: current.planId,
      zoneId: tenant.zoneId,
      venueId: tenant.venueId,
      timeZone: 'Europe/Berlin',
      tzdbVersion: process.versions.tz,
      scheduleVersion: 0,
      compiledAt: '2026-11-24T10:00:00.000Z',
      from: '2026-11-24T10:00:00.000Z',
      until: '2026-12-01T10:00:00.000Z',
      licence: {
        licenceId: licence.body.id,
        version: 1,
        venueId: tenant.venueId,
        tier: 'full',
        validFrom: '2026-11-01T00:00:00.000Z',
        validUntil: '2027-11-01T00:00:00.000Z',
        leaseDays: 7,
      },
      intervals: [],
      programmes: [],
      tracks: [],
    });
  });

  it('revoking the licence recompiles with licence null; the old plan is kept, superseded', async () => {
    const before = (await plans.current(tenant.zoneId))!;
    const licences = await request(hub.app.getHttpServer())
      .get(`/venues/${tenant.venueId}/licences`)
      .set('Authorization', `Bearer ${operator.token}`)
      .expect(200);
    await request(hub.app.getHttpServer())
      .post(`/licences/${licences.body[0].id}/revoke`)
      .set('Authorization', `Bearer ${operator.token}`)
      .send({ reason: 'contract ended' })
      .expect(200);
    await worker.runOnce();
    const after = (await plans.current(tenant.zoneId))!;
    expect(after.planId).not.toBe(before.planId);
    expect(after.licenceTier).toBeNull();
    expect((JSON.parse(after.json) as { payload: PlanEnvelope }).payload.licence).toBeNull();
    expect((await plans.tracksOfPlans([before.planId])).has(before.planId)).toBe(true);
  });
});
