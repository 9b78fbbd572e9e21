import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../hub/src/database/data-source';
import { GroupCommit, SqliteWriteError } from '../../../hub/src/database/group-commit';

const PROCEDURES = require.resolve('./procedures.fixture');

describe('GroupCommit: SQLite writes committed in groups on a writer thread', () => {
  let dir: string;
  let dataSource: DataSource;
  let commits: GroupCommit;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'roomtone-group-commit-'));
    dataSource = await openDataSource({ kind: 'sqlite', path: path.join(dir, 'hub.sqlite') }, dir);
    await dataSource.query('CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
    commits = new GroupCommit(dataSource);
  });

  afterEach(async () => {
    await commits.onModuleDestroy();
    await dataSource.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const rows = () => dataSource.query<{ k: string; v: string }[]>('SELECT k, v FROM kv ORDER BY k');

  it('commits the writes of one turn together; each is visible to the main connection once its promise settles', async () => {
    const changes = await Promise.all(
      ['a', 'b', 'c'].map((k) => commits.run('INSERT OR IGNORE INTO kv (k, v) VALUES (?, ?)', [k, k])),
    );
    expect(changes).toEqual([1, 1, 1]);
    expect(await commits.run('INSERT OR IGNORE INTO kv (k, v) VALUES (?, ?)', ['a', 'again'])).toBe(0);
    expect(await rows()).toEqual([
      { k: 'a', v: 'a' },
      { k: 'b', v: 'b' },
      { k: 'c', v: 'c' },
    ]);
  });

  it('a constraint violation fails only its own statement, with SQLite code; the group commits', async () => {
    const outcomes = await Promise.allSettled([
      commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['x', '1']),
      commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['x', '2']),
      commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['y', '3']),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const refused = (outcomes[1] as PromiseRejectedResult).reason as SqliteWriteError;
    expect(refused).toBeInstanceOf(SqliteWriteError);
    expect(refused.code).toMatch(/^SQLITE_CONSTRAINT/);
    expect(await rows()).toEqual([
      { k: 'x', v: '1' },
      { k: 'y', v: '3' },
    ]);
  });

  it('a procedure runs in its own savepoint: one that throws rolls back alone, the others and the statements commit', async () => {
    const [many, failed, single] = await Promise.allSettled([
      commits.call<number>(PROCEDURES, 'insertMany', { keys: ['p1', 'p2'] }),
      commits.call(PROCEDURES, 'insertThenFail', { key: 'p3' }),
      commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['s1', 'x']),
    ]);
    expect(many).toEqual({ status: 'fulfilled', value: 2 });
    expect(failed.status).toBe('rejected');
    expect((failed as PromiseRejectedResult).reason).toMatchObject({
      message: 'procedure refused',
      code: 'TEST_REFUSED',
    });
    expect(single.status).toBe('fulfilled');
    expect((await rows()).map((r) => r.k)).toEqual(['p1', 'p2', 's1']);
  });

  it('an unknown procedure is a clear error and changes nothing', async () => {
    await expect(commits.call(PROCEDURES, 'nope', {})).rejects.toThrow(/exports no function nope/);
    expect(await rows()).toEqual([]);
  });

  it('waits for an open TypeORM transaction of this process instead of joining it: its write survives that rollback', async () => {
    let pending: Promise<number> | undefined;
    await expect(
      dataSource.transaction(async (m) => {
        await m.query("INSERT INTO kv (k, v) VALUES ('t', 'rolled back')");
        pending = commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['g', 'kept']);
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await pending).toBe(1);
    expect(await rows()).toEqual([{ k: 'g', v: 'kept' }]);
  });

  it('after the writer thread dies, the next write starts a new one', async () => {
    await commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['before', 'v']);
    const worker = (commits as unknown as { worker: import('node:worker_threads').Worker }).worker;
    await worker.terminate();
    expect(await commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['after', 'v'])).toBe(1);
    expect((await rows()).map((r) => r.k)).toEqual(['after', 'before']);
  });

  it('is off on PostgreSQL-like data sources (callers use their repositories there)', async () => {
    const pg = new GroupCommit({ options: { type: 'postgres' } } as unknown as DataSource);
    expect(pg.enabled).toBe(false);
    await expect(pg.run('SELECT 1', [])).rejects.toThrow(/for SQLite/);
  });
});
