import request from 'supertest';
import { DataSource } from 'typeorm';
import { ShutdownState } from '../../../hub/src/health/shutdown-state';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';

describe('readiness (/health/ready) reports each failing check with 503', () => {
  let db: FreshDatabase;
  let hub: TestHub;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
  });

  afterEach(async () => {
    await hub?.close();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('less free disk than ROOMTONE_MIN_FREE_DISK_MB: not ready, liveness still ok', async () => {
    hub = await startTestHub(db, { env: { ROOMTONE_MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) } });
    const server = hub.app.getHttpServer();
    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.status).toBe('not_ready');
    expect(res.body.checks.disk.ok).toBe(false);
    expect(res.body.checks.disk.detail).toMatch(/^\d+ MB free, below the 1073741824 MB minimum$/);
    expect(res.body.checks.database.ok).toBe(true);
    await request(server).get('/health').expect(200);
  });

  it('while draining after SIGTERM: not ready, so load balancers stop sending traffic', async () => {
    hub = await startTestHub(db);
    const server = hub.app.getHttpServer();
    await request(server).get('/health/ready').expect(200);
    hub.app.get(ShutdownState).stopping = true;
    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.checks.shutdown).toEqual({ ok: false, detail: 'shutting down' });
  });

  it('database gone: not ready, with the driver error', async () => {
    hub = await startTestHub(db);
    const server = hub.app.getHttpServer();
    await hub.app.get(DataSource).destroy();
    const res = await request(server).get('/health/ready').expect(503);
    expect(res.body.checks.database.ok).toBe(false);
    expect(res.body.checks.dataDir).toEqual({ ok: true, detail: 'writable' });
  });
});
