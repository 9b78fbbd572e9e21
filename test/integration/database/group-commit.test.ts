import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../hub/src/database/data-source';
import { GroupCommit, NONCE_REPLAYED, SqliteWriteError } from '../../../hub/src/database/group-commit';

const PROCEDURES = require.resolve('./procedures.fixture');

describe('GroupCommit: SQLite writes committed in groups on a writer thread', () => {
  let dir: string;
  let dataSource: DataSource;
  let commits: GroupCommit;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'roomtone-group-commit-'));
    dataSource = await openDataSource({ kind: 'sqlite', path: path.join(dir, 'hub.sqlite') }, dir);
    await dataSource.query('CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
    // As the hub's migration creates it (a job's nonce is claimed here).
    await dataSource.query(
      'CREATE TABLE signature_nonces (key_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at_ms INTEGER NOT NULL, PRIMARY KEY (key_id, nonce))',
    );
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

  it("a job carrying a request's nonce claims it with its write: a replay, in the same group or later, changes nothing", async () => {
    const nonce = (n: string) => ({ keyId: 'appliance-1', nonce: n, expiresMs: 1_000 });
    const nonces = () => dataSource.query<{ nonce: string }[]>('SELECT nonce FROM signature_nonces ORDER BY nonce');
    const insert = (k: string, v: string, n: string) =>
      commits.run('INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v', [k, v], nonce(n));
    // Same turn, so one group: the first claims n1 and writes; its replay fails alone; another nonce commits.
    const outcomes = await Promise.allSettled([
      insert('a', 'first', 'n1'),
      insert('a', 'replay', 'n1'),
      insert('b', 'b', 'n2'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const replay = (outcomes[1] as PromiseRejectedResult).reason as SqliteWriteError;
    expect(replay).toBeInstanceOf(SqliteWriteError);
    expect(replay.code).toBe(NONCE_REPLAYED);
    expect(replay.message).toBe('nonce already used: this request is a replay');
    // Later, in a group of its own, and through a procedure: still refused, nothing written.
    await expect(insert('a', 'later', 'n1')).rejects.toMatchObject({ code: NONCE_REPLAYED });
    await expect(commits.call(PROCEDURES, 'insertMany', { keys: ['p1'] }, nonce('n2'))).rejects.toMatchObject({
      code: NONCE_REPLAYED,
    });
    expect(await rows()).toEqual([
      { k: 'a', v: 'first' },
      { k: 'b', v: 'b' },
    ]);
    // A job that fails otherwise gives its nonce back: statement (constraint) and procedure alike.
    await expect(
      commits.run('INSERT INTO kv (k, v) VALUES (?, ?)', ['a', 'duplicate key'], nonce('n3')),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_CONSTRAINT/) });
    await expect(commits.call(PROCEDURES, 'insertThenFail', { key: 'p3' }, nonce('n4'))).rejects.toMatchObject({
      code: 'TEST_REFUSED',
    });
    expect(await nonces()).toEqual([{ nonce: 'n1' }, { nonce: 'n2' }]);
    expect(await commits.call<number>(PROCEDURES, 'insertMany', { keys: ['p5'] }, nonce('n4'))).toBe(1);
    expect(await nonces()).toEqual([{ nonce: 'n1' }, { nonce: 'n2' }, { nonce: 'n4' }]);
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
