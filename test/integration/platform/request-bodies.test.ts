import type { Server } from 'node:http';
import request from 'supertest';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';

describe('request bodies: JSON only (the pipeline main.ts runs)', () => {
  let db: FreshDatabase;
  let hub: TestHub;
  let server: Server;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    hub = await startTestHub(db);
    server = hub.app.getHttpServer();
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('a JSON body is parsed: a wrong password is refused as such', async () => {
    const res = await request(server)
      .post('/auth/login')
      .send({ email: 'nobody@example.com', password: 'wrong-password-1' });
    expect(res.status).toBe(401);
  });

  it('a form-encoded body is not parsed: a 400 that names the missing fields, no stack trace', async () => {
    const res = await request(server)
      .post('/auth/login')
      .type('form')
      .send('email=nobody%40example.com&password=wrong-password-1');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/email/);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('an empty body with Content-Type application/json is no body (as a POST without one may send): validation answers', async () => {
    const res = await request(server).post('/auth/login').set('Content-Type', 'application/json').send('');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).toMatch(/email/);
  });

  it('malformed JSON: 400 naming the problem', async () => {
    const res = await request(server).post('/auth/login').set('Content-Type', 'application/json').send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.error?.message ?? JSON.stringify(res.body)).toMatch(/JSON/i);
  });

  it('JSON bodies up to 2 MB are accepted by the parser; larger ones get 413', async () => {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(3 * 1024 * 1024) });
    const res = await request(server).post('/auth/login').set('Content-Type', 'application/json').send(big);
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/2 MB/);
  });
});
