import { loadSodium, type Keystore, type PlayRecord, type Sodium } from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { PlansService } from '../../../hub/src/plans/plans.service';
import { PlanWorker } from '../../../hub/src/plans/plan-worker';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import type { TenantFixture } from '../authz/support/fixtures';
import { call, deviceClock, signedCall, startApplianceHub, enrolInZone, type UserHeaders } from '../appliances/support';
import { chain, insertTrack } from './support';

const NOW = '2026-11-24T10:00:00.000Z';

/** not-in-plan against the real plans feature (PlansService.tracksOfPlans and the zone's stored plans). */
describe.each(databaseKinds())('not-in-plan with compiled plans on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let clock: FixedClock;
  let sodium: Sodium;
  let base: string;
  let tenant: TenantFixture;
  let device: Keystore;
  let planned: string;
  let unplanned: string;
  let planId: string;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    clock = new FixedClock(NOW);
    let operator: UserHeaders;
    ({ hub, base, tenant, operator } = await startApplianceHub(db, clock, {
      env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0', ROOMTONE_PLAN_HORIZON_DAYS: '7' },
    }));
    planned = await insertTrack(hub.app, tenant.labelId, { title: 'Planned', durationMs: 200_000 });
    unplanned = await insertTrack(hub.app, tenant.labelId, { title: 'Unplanned', durationMs: 200_000 });
    const licence = await call(base, 'POST', `/venues/${tenant.venueId}/licences`, {
      headers: operator,
      json: { tier: 'full', validFrom: '2026-11-01T00:00:00Z', validUntil: '2027-11-01T00:00:00Z', leaseDays: 7 },
    });
    expect(licence.status).toBe(201);
    await hub.app.get(PlanWorker).runOnce();
    const current = await hub.app
      .get(DataSource)
      .query<{ id: string; track_set: string }[]>(
        `SELECT id, track_set FROM plans WHERE zone_id = ${kind === 'postgres' ? '$1' : '?'}`,
        [tenant.zoneId],
      );
    expect(current).toHaveLength(1);
    planId = current[0].id;
    // The licence-only plan has no tracks; give its track set one (before PlansService caches the set).
    await hub.app
      .get(DataSource)
      .query(`INSERT INTO plan_tracks (track_set, track_id) VALUES (${kind === 'postgres' ? '$1, $2' : '?, ?'})`, [
        current[0].track_set,
        planned,
      ]);
    expect((await hub.app.get(PlansService).tracksOfPlans([planId])).get(planId)).toEqual(new Set([planned]));
    device = await enrolInZone(base, sodium, clock, operator, tenant.venueId, tenant.zoneId);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('flags a track outside the named plan and outside every plan of the zone covering the start; not a track in it, nor a play no plan covers', async () => {
    const plays: PlayRecord[] = chain({
      tag: 7,
      from: 1,
      to: 4,
      trackId: planned,
      startAt: '2026-11-24T10:05:00.000Z',
      spacingS: 300,
      edit: (r) => {
        if (r.sequence === 2) Object.assign(r, { trackId: unplanned, planId });
        if (r.sequence === 3) r.trackId = unplanned; // no planId: the zone's plan covering 10:15 decides
        if (r.sequence === 4) Object.assign(r, { trackId: unplanned, startedAt: '2026-11-20T10:00:00.000Z' }); // before any plan
      },
    });
    clock.set('2026-11-24T11:00:00.000Z'); // the plays are an hour old
    const answer = await signedCall(sodium, deviceClock(clock), device, 'POST', `${base}/appliance/v1/plays`, {
      plays,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 4, storedThrough: 4 });
    expect(answer.body.flagged).toEqual([
      { playId: plays[1].playId, flags: ['not-in-plan'] },
      { playId: plays[2].playId, flags: ['not-in-plan'] },
    ]);
  });
});
