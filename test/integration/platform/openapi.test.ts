import fs from 'node:fs';
import request from 'supertest';
import { buildOpenApiDocument } from '../../../hub/src/openapi/openapi';
import { OPENAPI_FILE, serialiseOpenApi } from '../../../hub/src/openapi/generate';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';

describe('the checked-in OpenAPI document (hub/openapi.json)', () => {
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

  it('matches what the code generates (if this fails: run `npm run openapi` and commit hub/openapi.json)', () => {
    const generated = serialiseOpenApi(buildOpenApiDocument(hub.app));
    const checkedIn = fs.readFileSync(OPENAPI_FILE, 'utf8');
    expect(JSON.parse(checkedIn)).toEqual(JSON.parse(generated));
  });

  it('is served at /api/docs-json, and the UI at /api/docs', async () => {
    const server = hub.app.getHttpServer();
    const json = await request(server).get('/api/docs-json').expect(200);
    expect(json.body).toEqual(JSON.parse(serialiseOpenApi(buildOpenApiDocument(hub.app))));
    const ui = await request(server).get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
