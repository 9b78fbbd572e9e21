import { DataSource } from 'typeorm';
import { migrations } from '../../../hub/src/database/migrations';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { logRecords, spawnHub, stopHubProcess } from '../../support/hub-process';

async function query<T>(db: FreshDatabase, sql: string): Promise<T[]> {
  const dataSource = await new DataSource(
    db.databaseUrl
      ? { type: 'postgres', url: db.databaseUrl }
      : { type: 'better-sqlite3', database: `${db.dataDir}/roomtone.sqlite` },
  ).initialize();
  try {
    return await dataSource.query<T[]>(sql);
  } finally {
    await dataSource.destroy();
  }
}

describe.each(databaseKinds())('two hubs starting at once on one %s database', (kind) => {
  let db: FreshDatabase;

  beforeAll(async () => {
    db = await freshDatabase(kind);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('both come up; the migration lock lets exactly one apply each migration, once; one seeds the demo', async () => {
    // core: the seeding race is the platform's; the features' demo steps have their own suites.
    const env = { ...db.env, ROOMTONE_DEMO_SEED: 'core' };
    const hubs = [spawnHub(env), spawnHub(env)];
    try {
      const ports = await Promise.all(hubs.map((h) => h.listening));
      for (const port of ports) {
        expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      }
      const appliedBy = hubs.map((h) =>
        logRecords(h)
          .filter((r) => r.msg === 'migration applied')
          .map((r) => r.migration),
      );
      const all = migrations.map((m) => m.name);
      // One hub did all the work while the other waited on the lock and then found nothing to do.
      expect([...appliedBy].sort((a, b) => b.length - a.length)).toEqual([all, []]);
      const rows = await query<{ name: string }>(db, 'SELECT name FROM migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(all);
      // Both found an empty database; the unique e-mail let one seed and the other stand down.
      const users = await query<{ email: string }>(db, 'SELECT email FROM users ORDER BY email');
      expect(users).toHaveLength(4);
      const banners = hubs.filter((h) => h.stdout.some((l) => l.startsWith('Roomtone demo data created')));
      expect(banners).toHaveLength(1);
    } finally {
      const codes = await Promise.all(hubs.map((h) => stopHubProcess(h)));
      // On failure, show how each hub ended.
      const endings = hubs.map((h, i) => ({
        code: codes[i],
        stderr: h.stderr.slice(-5),
        stdout: h.stdout.filter((l) => !l.includes('"level":"debug"')).slice(-5),
      }));
      expect(endings.map((e) => e.code === 0 || e)).toEqual([true, true]);
    }
  }, 120_000);
});
