import { loadSodium } from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { DemoSeedRegistry, type DemoContext } from '../../../hub/src/demo/demo-seed-registry';
import { PlansService } from '../../../hub/src/plans';
import { Organisation, User, Venue, Zone } from '../../../hub/src/tenancy/entities';
import { ZoneScheduleVersion } from '../../../hub/src/zone-schedules/entities/zone-schedule.entity';
import { ZoneSchedulesDemoStep } from '../../../hub/src/zone-schedules/zone-schedules-demo.step';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { createTenant, type TenantFixture } from '../authz/support/fixtures';
import { assembledPlan, createProgramme, readyTrack } from '../plans/support';

jest.setTimeout(60_000);

describe.each(databaseKinds())('zone schedules demo step (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let tenant: TenantFixture;
  const clock = new FixedClock('2026-11-24T10:00:00.000Z');

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' },
      customise: (b) => b.overrideProvider(Clock).useValue(clock),
    });
    tenant = await createTenant(hub.app, 'Demo');
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('runs after the programmes demo step', () => {
    const names = hub.app
      .get(DemoSeedRegistry)
      .all()
      .map((s) => s.name);
    const programmes = names.findIndex((n) => n.startsWith('programmes:'));
    expect(programmes).toBeGreaterThanOrEqual(0);
    expect(names.indexOf(hub.app.get(ZoneSchedulesDemoStep).name)).toBeGreaterThan(programmes);
  });

  it("publishes version 1 for every demo zone and compiles its signed plan from the business's programmes", async () => {
    const track = await readyTrack(hub.app, db.dataDir, tenant.labelId, 'Demo Song', 70_000);
    const programme = await createProgramme(hub.app, tenant.businessId, 'A demo', [track.id]);
    const ds = hub.app.get(DataSource);
    const context: DemoContext = {
      users: {
        operator: await ds.getRepository(User).findOneByOrFail({ id: tenant.users.venue_manager.id }),
        rights_owner: await ds.getRepository(User).findOneByOrFail({ id: tenant.users.rights_owner.id }),
        venue_manager: await ds.getRepository(User).findOneByOrFail({ id: tenant.users.venue_manager.id }),
        installer: await ds.getRepository(User).findOneByOrFail({ id: tenant.users.installer.id }),
      },
      label: await ds.getRepository(Organisation).findOneByOrFail({ id: tenant.labelId }),
      business: await ds.getRepository(Organisation).findOneByOrFail({ id: tenant.businessId }),
      venue: await ds.getRepository(Venue).findOneByOrFail({ id: tenant.venueId }),
      zones: [await ds.getRepository(Zone).findOneByOrFail({ id: tenant.zoneId })],
    };
    await hub.app.get(ZoneSchedulesDemoStep).run(context);
    const versions = await ds
      .getRepository(ZoneScheduleVersion)
      .find({ where: { zoneId: tenant.zoneId }, select: { version: true, planId: true } });
    const current = (await hub.app.get(PlansService).current(tenant.zoneId))!;
    expect(versions.map((v) => [v.version, v.planId])).toEqual([[1, current.planId]]);
    const { plan: payload } = await assembledPlan(hub.app, await loadSodium(), current.json);
    expect(payload.scheduleVersion).toBe(1);
    expect(payload.timeZone).toBe('Europe/Berlin');
    expect(payload.intervals.length).toBeGreaterThan(0);
    expect(new Set(payload.intervals.map((i) => i.programmeId))).toEqual(new Set([programme]));
    expect(payload.tracks.map((t) => t.id)).toEqual([track.id]);
  });
});
