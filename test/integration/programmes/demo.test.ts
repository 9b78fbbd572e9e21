import { DataSource } from 'typeorm';
import { DemoSeedRegistry, type DemoContext, type DemoSeedStep } from '../../../hub/src/demo/demo-seed-registry';
import { Programme } from '../../../hub/src/programmes/entities/programme.entity';
import { ProgrammesDemoStep } from '../../../hub/src/programmes/programmes-demo.step';
import { Organisation } from '../../../hub/src/tenancy/entities';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { createTenant } from '../authz/support/fixtures';
import { insertTrack } from './support';

/** Runs only the programmes' demo step (the catalogue's ingests generated audio and has its own suite). */
class ProgrammesOnlyRegistry extends DemoSeedRegistry {
  override register(step: DemoSeedStep): void {
    if (step instanceof ProgrammesDemoStep) super.register(step);
  }
}

describe.each(databaseKinds())('demo programmes on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      env: { ROOMTONE_DEMO_SEED: 'true', ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' },
      customise: (b) => b.overrideProvider(DemoSeedRegistry).useValue(new ProgrammesOnlyRegistry()),
    });
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('the first boot gives the demo business a rules programme (no demo tracks were ingested here)', async () => {
    const ds = hub.app.get(DataSource);
    const business = await ds.getRepository(Organisation).findOneByOrFail({ kind: 'business' });
    const programmes = await ds.getRepository(Programme).find({ order: { name: 'ASC' } });
    expect(programmes.map((p) => [p.organisationId, p.name, p.kind])).toEqual([
      [business.id, 'Demo: calm (rules)', 'rules'],
    ]);
  });

  it("with the demo label's ready tracks it also makes an ordered programme of them", async () => {
    const tenant = await createTenant(hub.app, 'Demo Two');
    const first = await insertTrack(hub.app, tenant.labelId, { title: 'One' });
    const second = await insertTrack(hub.app, tenant.labelId, { title: 'Two' });
    await insertTrack(hub.app, tenant.labelId, { title: 'Three', status: 'failed' });
    const ds = hub.app.get(DataSource);
    const context = {
      business: await ds.getRepository(Organisation).findOneByOrFail({ id: tenant.businessId }),
      label: await ds.getRepository(Organisation).findOneByOrFail({ id: tenant.labelId }),
    } as DemoContext;
    await hub.app.get(ProgrammesDemoStep).run(context);
    const programmes = await ds
      .getRepository(Programme)
      .find({ where: { organisationId: tenant.businessId }, order: { name: 'ASC' } });
    expect(programmes.map((p) => [p.name, p.kind, p.trackIds])).toEqual([
      ['Demo: all day', 'ordered', [first, second]],
      ['Demo: calm (rules)', 'rules', null],
    ]);
  });
});
