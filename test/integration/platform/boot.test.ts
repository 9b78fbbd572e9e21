import Database from 'better-sqlite3';
import path from 'node:path';
import { migrations } from '../../../hub/src/database/migrations';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { logRecords, startHubProcess, stopHubProcess, waitForLog, type HubProcess } from '../../support/hub-process';

const applied = (hub: HubProcess) => logRecords(hub).filter((r) => r.msg === 'migration applied');

describe.each(databaseKinds())('the built hub boots on %s', (kind) => {
  let db: FreshDatabase;

  beforeAll(async () => {
    db = await freshDatabase(kind);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('migrates an empty database, serves health, readiness, metrics and docs, then stops cleanly', async () => {
    const hub = await startHubProcess({ ...db.env, ROOMTONE_DEMO_SEED: 'false' });
    try {
      expect(applied(hub).map((r) => r.migration)).toEqual(migrations.map((m) => m.name));

      const live = await fetch(`${hub.baseUrl}/health`, { headers: { 'X-Request-Id': 'boot-check-1' } });
      expect(live.status).toBe(200);
      expect(live.headers.get('x-request-id')).toBe('boot-check-1');
      expect(await live.json()).toEqual({ status: 'ok' });

      const ready = await fetch(`${hub.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> };
      expect(body.status).toBe('ready');
      expect(body.checks.database).toEqual({
        ok: true,
        detail: `${kind === 'sqlite' ? 'better-sqlite3' : 'postgres'} answers`,
      });
      expect(body.checks.dataDir).toEqual({ ok: true, detail: 'writable' });
      expect(body.checks.disk.ok).toBe(true);

      const metrics = await (await fetch(`${hub.baseUrl}/metrics`)).text();
      expect(metrics).toContain(
        'http_request_duration_seconds_count{method="GET",route="/health/ready",status="200"} 1',
      );
      expect(metrics).toContain('process_cpu_user_seconds_total');

      const docs = await fetch(`${hub.baseUrl}/api/docs-json`, { headers: { 'X-Request-Id': 'boot-check-2' } });
      expect(docs.status).toBe(200);
      expect(((await docs.json()) as { info: { title: string } }).info.title).toBe('Roomtone hub');

      // The access log is written when the response finishes, which may be just after the client has it.
      const docsAccess = await waitForLog(hub, (r) => r.msg === 'request' && r.requestId === 'boot-check-2');
      expect(docsAccess).toMatchObject({
        level: 'info',
        method: 'GET',
        path: '/api/docs-json',
        status: 200,
      });
      // Successful probes are logged at debug only, so LOG_LEVEL=info leaves them out.
      expect(logRecords(hub).find((r) => r.requestId === 'boot-check-1')).toBeUndefined();
    } finally {
      expect(await stopHubProcess(hub)).toBe(0);
    }
  });

  it('a second boot on the same database applies no migration (idempotent) and is ready', async () => {
    const hub = await startHubProcess({ ...db.env, ROOMTONE_DEMO_SEED: 'false' });
    try {
      expect(applied(hub)).toEqual([]);
      expect((await fetch(`${hub.baseUrl}/health/ready`)).status).toBe(200);
    } finally {
      expect(await stopHubProcess(hub)).toBe(0);
    }
  });

  if (kind === 'sqlite') {
    it('SQLite lives in the data dir, in WAL mode', () => {
      const file = new Database(path.join(db.dataDir, 'roomtone.sqlite'), { readonly: true });
      try {
        expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        file.close();
      }
    });
  }
});
