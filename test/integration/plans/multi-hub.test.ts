import { DataSource } from 'typeorm';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { PlanWorker, PlansService } from '../../../hub/src/plans';
import { PlanInvalidations } from '../../../hub/src/plans/invalidation';
import { ZonesRepository } from '../../../hub/src/tenancy';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { createTenant, type TenantFixture } from '../authz/support/fixtures';

jest.setTimeout(120_000);

// Stateless hubs share one PostgreSQL database: concurrent workers and compiles must leave exactly one current plan per
// zone and consume every invalidation once. PostgreSQL only: two hubs in one process cannot share a SQLite file
// (better-sqlite3 is synchronous, so one hub waiting for the other's write lock blocks the event loop both run on);
// SQLite hubs are one process (README: several hubs need PostgreSQL). Fails without PostgreSQL.
describe('plans with two hubs on one PostgreSQL database', () => {
  const kind = 'postgres' as const;
  let db: FreshDatabase;
  let hubs: TestHub[];
  let tenant: TenantFixture;
  let zoneIds: string[];
  const clock = new FixedClock('2026-11-24T12:00:00.000Z');

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hubs = [];
    for (let i = 0; i < 2; i++) {
      hubs.push(
        await startTestHub(db, {
          env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' },
          customise: (b) => b.overrideProvider(Clock).useValue(clock),
        }),
      );
    }
    tenant = await createTenant(hubs[0].app, 'Multi');
    zoneIds = [tenant.zoneId];
    for (let i = 0; i < 29; i++)
      zoneIds.push((await hubs[0].app.get(ZonesRepository).create(tenant.venueId, `Z${i}`)).id);
  });

  afterAll(async () => {
    for (const hub of hubs ?? []) await hub.close();
    await db?.drop();
  });

  const currentPerZone = () =>
    hubs[0].app
      .get(DataSource)
      .query<{ zone_id: string; n: string | number }[]>(
        'SELECT zone_id, COUNT(*) AS n FROM plans WHERE superseded_at IS NULL GROUP BY zone_id ORDER BY zone_id',
      );

  it('workers of both hubs racing over the same invalidations: every row consumed, one current plan per zone', async () => {
    for (let round = 0; round < 3; round++) {
      await hubs[round % 2].app.get(DataSource).transaction(async (m) => {
        const invalidations = hubs[round % 2].app.get(PlanInvalidations);
        await invalidations.venue(m, tenant.venueId, 'test.venue');
        await invalidations.zones(m, zoneIds, 'test.zones');
      });
      await Promise.all([
        hubs[0].app.get(PlanWorker).runOnce(),
        hubs[1].app.get(PlanWorker).runOnce(),
        hubs[0].app.get(PlansService).compileZones(zoneIds.slice(0, 10), 'test.direct'),
        hubs[1].app.get(PlansService).compileZones(zoneIds.slice(5, 15), 'test.direct'),
      ]);
      expect(await hubs[1].app.get(DataSource).query('SELECT id FROM plan_invalidations')).toEqual([]);
      const current = await currentPerZone();
      expect(current.map((r) => r.zone_id)).toEqual([...zoneIds].sort());
      expect(current.filter((r) => Number(r.n) !== 1)).toEqual([]);
    }
    // Both hubs answer current() with the same plan for a zone.
    const [a, b] = await Promise.all(hubs.map((h) => h.app.get(PlansService).current(tenant.zoneId)));
    expect(a!.planId).toBe(b!.planId);
    expect(a!.json).toBe(b!.json);
  });
});
