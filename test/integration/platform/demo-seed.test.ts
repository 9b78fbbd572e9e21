import * as argon2 from 'argon2';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DemoAnnouncements } from '../../../hub/src/demo/demo-announcements';
import { DemoSeedRegistry, type DemoContext, type DemoSeedStep } from '../../../hub/src/demo/demo-seed-registry';
import { DEMO_PASSWORD_SOURCE, loginInstructions } from '../../../hub/src/demo/demo-seeder';
import { Membership, Organisation, User, Venue, Zone } from '../../../hub/src/tenancy/entities';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub } from '../../support/hub-app';

const PASSWORD = 'demo-password-pinned';

/**
 * Keeps only this suite's probe step: features' own steps (the catalogue ingests generated audio) have their own
 * suites and would only slow this one down.
 */
class ProbeOnlyRegistry extends DemoSeedRegistry {
  readonly seen: DemoContext[] = [];
  constructor() {
    super();
    super.register({ name: 'probe', run: (context) => Promise.resolve(void this.seen.push(context)) });
  }
  override register(_step: DemoSeedStep): void {}
}

async function bootWithDemo(db: FreshDatabase) {
  const registry = new ProbeOnlyRegistry();
  const hub = await startTestHub(db, {
    env: { ROOMTONE_DEMO_SEED: 'true', ROOMTONE_PUBLIC_URL: 'http://hub.example:3000' },
    customise: (b) =>
      b
        .overrideProvider(DEMO_PASSWORD_SOURCE)
        .useValue(() => PASSWORD)
        .overrideProvider(DemoSeedRegistry)
        .useValue(registry),
  });
  return { hub, announced: hub.app.get(DemoAnnouncements).drain(hub.config.publicUrl), stepRuns: registry.seen };
}

describe.each(databaseKinds())('demo seed on an empty %s database', (kind) => {
  let db: FreshDatabase;

  beforeAll(async () => {
    db = await freshDatabase(kind);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('creates one user per role, a label, a business with a London venue and two zones; prints the login once', async () => {
    const { hub, announced, stepRuns } = await bootWithDemo(db);
    try {
      const ds = hub.app.get(DataSource);
      const users = await ds.getRepository(User).find({ order: { email: 'ASC' } });
      expect(users.map((u) => [u.email, u.isOperator])).toEqual([
        ['installer@demo.roomtone.test', false],
        ['label@demo.roomtone.test', false],
        ['manager@demo.roomtone.test', false],
        ['operator@demo.roomtone.test', true],
      ]);
      for (const user of users) {
        expect(user.passwordHash).toMatch(/^\$argon2id\$/);
        expect(await argon2.verify(user.passwordHash, PASSWORD)).toBe(true);
      }

      const orgs = await ds.getRepository(Organisation).find({ order: { name: 'ASC' } });
      expect(orgs.map((o) => [o.name, o.kind])).toEqual([
        ['Demo Coffee Co.', 'business'],
        ['Demo Records', 'label'],
      ]);
      const memberships = await ds.getRepository(Membership).find({ relations: { user: true, organisation: true } });
      expect(memberships.map((m) => `${m.user?.email} ${m.role} ${m.organisation?.name}`).sort()).toEqual([
        'installer@demo.roomtone.test installer Demo Coffee Co.',
        'label@demo.roomtone.test rights_owner Demo Records',
        'manager@demo.roomtone.test venue_manager Demo Coffee Co.',
      ]);

      const [venue] = await ds.getRepository(Venue).find();
      expect(venue).toMatchObject({ name: 'Demo Coffee Shoreditch', timeZone: 'Europe/London' });
      expect(venue.organisationId).toBe(orgs[0].id);
      expect(venue.openingHours).toContainEqual({ weekday: 7, opens: '09:00', closes: '17:00' });
      const zones = await ds.getRepository(Zone).find({ where: { venueId: venue.id }, order: { name: 'ASC' } });
      expect(zones.map((z) => z.name)).toEqual(['Front of house', 'Terrace']);

      // Registered feature steps run once, after the core rows, with what was created.
      expect(stepRuns).toHaveLength(1);
      expect(stepRuns[0].venue.id).toBe(venue.id);
      expect(stepRuns[0].label.kind).toBe('label');
      expect(stepRuns[0].users.rights_owner.email).toBe('label@demo.roomtone.test');
      expect(stepRuns[0].zones.map((z) => z.id).sort()).toEqual(zones.map((z) => z.id).sort());

      expect(announced).toEqual([loginInstructions('http://hub.example:3000', PASSWORD)]);
      expect(announced[0]).toContain('operator       operator@demo.roomtone.test');
      expect(announced[0]).toContain(`password       ${PASSWORD}`);
      // The password goes to the person at the console only, never into the JSON logs.
      expect(JSON.stringify(hub.logs)).not.toContain(PASSWORD);

      const login = await request(hub.app.getHttpServer())
        .post('/auth/login')
        .send({ email: 'operator@demo.roomtone.test', password: PASSWORD });
      expect(login.status).toBeLessThan(300);
    } finally {
      await hub.close();
    }
  });

  it('a second boot on the seeded database adds nothing and prints nothing', async () => {
    const { hub, announced, stepRuns } = await bootWithDemo(db);
    try {
      const ds = hub.app.get(DataSource);
      expect(stepRuns).toEqual([]);
      expect(await ds.getRepository(User).count()).toBe(4);
      expect(await ds.getRepository(Venue).count()).toBe(1);
      expect(announced).toEqual([]);
    } finally {
      await hub.close();
    }
  });
});
