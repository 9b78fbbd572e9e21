import path from 'node:path';
import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';

// These settings are per connection, so they are read through the hub's own DataSource.
describe('the hub opens SQLite with WAL, durable commits, foreign keys and a busy timeout', () => {
  let db: FreshDatabase;
  let hub: TestHub;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    hub = await startTestHub(db);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  const pragma = async (name: string) => {
    const rows: Record<string, unknown>[] = await hub.app.get(DataSource).query(`PRAGMA ${name}`);
    return Object.values(rows[0])[0];
  };

  it('journal_mode=wal, synchronous=FULL (2), foreign_keys=ON, busy_timeout=10000 ms', async () => {
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(10_000);
  });

  it('foreign keys are enforced: a zone for a missing venue is refused', async () => {
    await expect(
      hub.app
        .get(DataSource)
        .query(
          `INSERT INTO zones (id, venue_id, name, created_at, updated_at) VALUES ('z', 'no-such-venue', 'x', 'a', 'a')`,
        ),
    ).rejects.toThrow(/FOREIGN KEY constraint failed/);
  });

  it('transactions take the write lock at BEGIN (IMMEDIATE), so a concurrent writer waits instead of failing later', async () => {
    const runner = hub.app.get(DataSource).createQueryRunner();
    const other = new Database(path.join(db.dataDir, 'roomtone.sqlite'), { timeout: 50 });
    try {
      await runner.startTransaction();
      // With a deferred BEGIN this write would succeed, and our transaction would fail at its first write instead.
      expect(() =>
        other.exec(
          `INSERT INTO organisations (id, kind, name, created_at, updated_at) VALUES ('o', 'label', 'x', 'a', 'a')`,
        ),
      ).toThrow(/database is locked/);
      await runner.rollbackTransaction();
      other.exec(
        `INSERT INTO organisations (id, kind, name, created_at, updated_at) VALUES ('o', 'label', 'x', 'a', 'a')`,
      );
    } finally {
      other.close();
      await runner.release();
    }
  });
});
