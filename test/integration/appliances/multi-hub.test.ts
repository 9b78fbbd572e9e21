import http from 'node:http';
import { createEnrolmentRequest, createKeystore, loadSodium, type Sodium } from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { ZonesRepository } from '../../../hub/src/tenancy';
import { freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import type { TenantFixture } from '../authz/support/fixtures';
import {
  call,
  deviceClock,
  issueCode,
  signedHeaders,
  userHeaders,
  enrolInZone,
  startHubsOnOneDatabase,
} from './support';

// Stateless hubs share one PostgreSQL database: replays and zone races must be refused across processes' state.
// Needs PostgreSQL (`. test/support/start-postgres.sh`); freshDatabase fails loudly without it.
describe('two hubs on one PostgreSQL database', () => {
  let db: FreshDatabase;
  let hubs: TestHub[];
  let bases: string[];
  let clock: FixedClock;
  let sodium: Sodium;
  let tenant: TenantFixture;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase('postgres');
    clock = new FixedClock('2026-11-24T12:00:00.000Z');
    ({ hubs, bases, tenant } = await startHubsOnOneDatabase(db, clock, 2));
  });

  afterAll(async () => {
    for (const hub of hubs ?? []) await hub.close();
    await db?.drop();
  });

  it('a request replayed to the other hub is refused there (nonces are shared through the database)', async () => {
    const operator = await userHeaders(hubs[0], 'op@hub.test');
    const device = await enrolInZone(bases[0], sodium, clock, operator, tenant.venueId, tenant.zoneId);
    const url = `${bases[0]}/appliance/v1/whoami`;
    const headers = signedHeaders(sodium, deviceClock(clock), device, 'GET', url);
    expect((await fetch(url, { headers })).status).toBe(200);
    const port1 = new URL(bases[1]).port;
    // Send hub 0's signed request to hub 1 with hub 0's Host header, as a load balancer would.
    // (node:http, because fetch does not let a caller set Host.)
    const replay = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get(
        {
          host: '127.0.0.1',
          port: port1,
          path: '/appliance/v1/whoami',
          headers: { ...headers, host: new URL(bases[0]).host },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
    });
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.body)).toMatchObject({ code: 'SIGNATURE_NONCE_REPLAYED' });
  });

  it('two codes for one empty zone, enrolled through different hubs at once: exactly one appliance gets the zone', async () => {
    const installer = await userHeaders(hubs[0], 'installer@alpha.test');
    for (let round = 0; round < 5; round++) {
      const zone = await hubs[0].app.get(ZonesRepository).create(tenant.venueId, `Race ${round}`);
      const codes = [
        await issueCode(bases[0], installer, tenant.venueId, zone.id),
        await issueCode(bases[0], installer, tenant.venueId, zone.id),
      ];
      const answers = await Promise.all(
        codes.map((code, i) =>
          call(bases[i], 'POST', '/appliances/enrol', {
            json: createEnrolmentRequest(sodium, createKeystore(sodium, clock.now()).keys, code, deviceClock(clock)),
          }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(await hubs[0].app.get(DataSource).getRepository('Appliance').countBy({ zoneId: zone.id })).toBe(1);
    }
  });
});
