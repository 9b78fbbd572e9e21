import { DataSource } from 'typeorm';
import { migrations } from '../../../hub/src/database/migrations';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';

// Every entity registered by the hub's modules must match what the migrations built: TypeORM's schema builder
// computes the DDL that `synchronize` would run; after the migrations it must have nothing to do.
describe.each(databaseKinds())('entities and migrations do not drift (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('the migrated schema is exactly what the entities describe', async () => {
    const dataSource = hub.app.get(DataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('every migration in migrations/index.ts ran, once, in order', async () => {
    const dataSource = hub.app.get(DataSource);
    const rows: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('the core tenant tables exist', () => {
    const dataSource = hub.app.get(DataSource);
    for (const table of ['organisations', 'users', 'memberships', 'venue_groups', 'venues', 'zones']) {
      expect(dataSource.hasMetadata(table)).toBe(true);
    }
  });
});
