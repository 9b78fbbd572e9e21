import { statSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import {
  checkCharacter,
  createEnrolmentRequest,
  createKeystore,
  formatEnrolmentCode,
  HUB_KEY_FILE,
  loadSodium,
  toBase64Url,
  verifyEnrolmentResponse,
  type Sodium,
} from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { ZonesRepository } from '../../../hub/src/tenancy';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { createTenant, type TenantFixture } from '../authz/support/fixtures';
import { call, deviceClock, enrolDevice, issueCode, userHeaders, type UserHeaders, startApplianceHub } from './support';

const START = '2026-11-24T09:00:00.000Z';
const FIFTEEN_MINUTES = 15 * 60_000;

/** A well-formed code (right check character) that shares `code`'s first 4 characters but is another code. */
function nearMiss(code: string, n: number): string {
  const canonical = code.replace('-', '');
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const data = canonical.slice(0, 4) + canonical.slice(4, 9) + alphabet[(alphabet.indexOf(canonical[9]) + n) % 32];
  return formatEnrolmentCode(data + checkCharacter(data));
}

/** POSTs JSON from a chosen loopback source address (all of 127.0.0.0/8 is local), so a test can be many clients. */
function postFrom(
  base: string,
  localAddress: string,
  path: string,
  json: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(json));
  });
}

describe.each(databaseKinds())('enrolment codes and enrolment on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let clock: FixedClock;
  let sodium: Sodium;
  let base: string;
  let alpha: TenantFixture;
  let beta: TenantFixture;
  let installer: UserHeaders;
  let manager: UserHeaders;
  let betaInstaller: UserHeaders;
  let operator: UserHeaders;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    clock = new FixedClock(START);
    ({ hub, base, tenant: alpha, operator } = await startApplianceHub(db, clock));
    beta = await createTenant(hub.app, 'Beta');
    installer = await userHeaders(hub, 'installer@alpha.test');
    manager = await userHeaders(hub, 'venue_manager@alpha.test');
    betaInstaller = await userHeaders(hub, 'installer@beta.test');
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  const codesPath = (t: TenantFixture, zoneId = t.zoneId) => `/venues/${t.venueId}/zones/${zoneId}/enrolment-codes`;

  it('an installer of the venue gets a one-time code (12 characters with check character), URL and 24 h expiry; only a keyed hash is stored', async () => {
    const issued = await call(base, 'POST', codesPath(alpha), { headers: installer, json: {} });
    expect(issued.status).toBe(201);
    const code = issued.body.code as string;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(checkCharacter(code.replace('-', '').slice(0, 10))).toBe(code.slice(-1));
    expect(issued.body).toEqual({
      code,
      url: `roomtone://enroll?hub=${encodeURIComponent(hub.config.publicUrl)}&code=${code.replace('-', '')}`,
      venueId: alpha.venueId,
      zoneId: alpha.zoneId,
      replace: false,
      expiresAt: '2026-11-25T09:00:00.000Z',
    });
    const rows = await hub.app.get(DataSource).getRepository('EnrolmentCode').findBy({ zoneId: alpha.zoneId });
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(code.replace('-', ''));
    expect(stored).toContain(code.replace('-', '').slice(0, 4));
    const audit = await hub.app.get(DataSource).getRepository('AuditEntry').findBy({ action: 'enrolment_code.issue' });
    expect((audit as { entityId: string }[]).map((a) => a.entityId)).toEqual([alpha.zoneId]);
    expect(JSON.stringify(audit)).not.toContain(code.replace('-', ''));
  });

  it('refuses codes to venue managers (403), to installers of another tenant (404) and for a zone of another venue (404)', async () => {
    expect((await call(base, 'POST', codesPath(alpha), { headers: manager, json: {} })).status).toBe(403);
    const foreign = await call(base, 'POST', codesPath(alpha), { headers: betaInstaller, json: {} });
    expect(foreign.status).toBe(404);
    const mixed = await call(base, 'POST', codesPath(alpha, beta.zoneId), { headers: installer, json: {} });
    expect(mixed.status).toBe(404);
    expect((await call(base, 'POST', codesPath(alpha), { json: {} })).status).toBe(401);
  });

  it('enrols a device: appliance row (uuid v7, active, venue, zone, public keys), signed answer with the hub key kept 0600 in the data dir', async () => {
    const code = await issueCode(base, operator, beta.venueId, beta.zoneId);
    const fresh = createKeystore(sodium, clock.now());
    const request = createEnrolmentRequest(sodium, fresh.keys, code, deviceClock(clock));
    const answer = await call(base, 'POST', '/appliances/enrol', { json: request });
    expect(answer.status).toBe(201);
    const id = answer.body.applianceId as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const keyFile = join(db.dataDir, HUB_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const pinned = verifyEnrolmentResponse(sodium, answer.body.response, request);
    expect(pinned.applianceId).toBe(id);
    expect(answer.body).toMatchObject({
      venueId: beta.venueId,
      zoneId: beta.zoneId,
      hubUrl: hub.config.publicUrl,
      hubPublicKey: toBase64Url(pinned.hubPublicKey),
    });
    expect(JSON.stringify(answer.body)).not.toContain(toBase64Url(fresh.keys.signing.seed.expose()));
    const row = await hub.app.get(DataSource).getRepository('Appliance').findOneByOrFail({ id });
    expect(row).toMatchObject({
      venueId: beta.venueId,
      zoneId: beta.zoneId,
      status: 'active',
      enrolledVia: 'code',
      signingKey: toBase64Url(fresh.keys.signing.publicKey),
      encryptionKey: toBase64Url(fresh.keys.encryption.publicKey),
    });

    const again = createEnrolmentRequest(sodium, createKeystore(sodium, clock.now()).keys, code, deviceClock(clock));
    const reused = await call(base, 'POST', '/appliances/enrol', { json: again });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('ENROLMENT_CODE_USED');
    expect(reused.body.message).toMatch(/already used .*ask for a new one/);
  });

  it('a code can enrol exactly one device under concurrent requests', async () => {
    const zone = await call(base, 'POST', `/venues/${alpha.venueId}/zones`, {
      headers: manager,
      json: { name: 'Race' },
    });
    const zoneId = (zone.body.id as string | undefined) ?? alpha.zoneId;
    const code = await issueCode(base, installer, alpha.venueId, zoneId);
    const requests = Array.from({ length: 8 }, () =>
      createEnrolmentRequest(sodium, createKeystore(sodium, clock.now()).keys, code, deviceClock(clock)),
    );
    const answers = await Promise.all(requests.map((json) => call(base, 'POST', '/appliances/enrol', { json })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'ENROLMENT_CODE_USED')).toBe(true);
    const rows = await hub.app.get(DataSource).getRepository('Appliance').countBy({ zoneId });
    expect(rows).toBe(1);
  });

  it('two codes for one empty zone used at the same moment: one appliance gets the zone, the other is refused (409)', async () => {
    const zone = await hub.app.get(ZonesRepository).create(alpha.venueId, 'Twin codes');
    const codes = [
      await issueCode(base, installer, alpha.venueId, zone.id),
      await issueCode(base, installer, alpha.venueId, zone.id),
    ];
    const answers = await Promise.all(
      codes.map((code) =>
        call(base, 'POST', '/appliances/enrol', {
          json: createEnrolmentRequest(sodium, createKeystore(sodium, clock.now()).keys, code, deviceClock(clock)),
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)?.body.message).toMatch(/ask for a code with replace$/);
    expect(await hub.app.get(DataSource).getRepository('Appliance').countBy({ zoneId: zone.id })).toBe(1);
  });

  it('an expired code says it expired (ttlHours 1: refused at exactly issue + 1 h)', async () => {
    const issued = await call(base, 'POST', codesPath(beta), {
      headers: operator,
      json: { ttlHours: 1, replace: true },
    });
    expect(issued.body.expiresAt).toBe(new Date(clock.now().getTime() + 3_600_000).toISOString());
    clock.advance(3_600_000);
    const request = createEnrolmentRequest(
      sodium,
      createKeystore(sodium, clock.now()).keys,
      issued.body.code as string,
      deviceClock(clock),
    );
    const expired = await call(base, 'POST', '/appliances/enrol', { json: request });
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({
      code: 'ENROLMENT_CODE_EXPIRED',
      message: `this enrolment code expired at ${clock.now().toISOString()}: ask for a new one`,
    });
  });

  it('a typo (wrong check character) is refused by the hub too, naming the check', async () => {
    const code = await issueCode(base, operator, beta.venueId, beta.zoneId, { replace: true });
    const request = createEnrolmentRequest(sodium, createKeystore(sodium, clock.now()).keys, code, deviceClock(clock));
    const typo = {
      ...request,
      code: request.code.slice(0, 3) + (request.code[3] === 'A' ? 'B' : 'A') + request.code.slice(4),
    };
    const refused = await call(base, 'POST', '/appliances/enrol', { json: typo });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'ENROLMENT_CODE_INVALID', details: { check: 'ENROLMENT_CODE_CHECK' } });
  });

  it('a request not signed by the keys it registers (no proof of possession) is refused', async () => {
    const code = await issueCode(base, operator, beta.venueId, beta.zoneId, { replace: true });
    const request = createEnrolmentRequest(sodium, createKeystore(sodium, clock.now()).keys, code, deviceClock(clock));
    const other = createKeystore(sodium, clock.now());
    const swapped = {
      ...request,
      publicKeys: { ...request.publicKeys, signing: toBase64Url(other.keys.signing.publicKey) },
    };
    const refused = await call(base, 'POST', '/appliances/enrol', { json: swapped });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'ENROLMENT_REQUEST_INVALID',
      details: { check: 'ENROLMENT_SIGNATURE_INVALID' },
    });
  });

  it('a code locks after 5 wrong guesses that share its prefix; then even the right code is refused as locked', async () => {
    clock.advance(FIFTEEN_MINUTES + 1);
    const code = await issueCode(base, operator, beta.venueId, beta.zoneId, { replace: true });
    for (let n = 1; n <= 5; n++) {
      const guess = nearMiss(code, n);
      const request = createEnrolmentRequest(
        sodium,
        createKeystore(sodium, clock.now()).keys,
        guess,
        deviceClock(clock),
      );
      const wrong = await call(base, 'POST', '/appliances/enrol', { json: request });
      expect([wrong.status, wrong.body.code]).toEqual([404, 'ENROLMENT_CODE_UNKNOWN']);
    }
    const request = createEnrolmentRequest(sodium, createKeystore(sodium, clock.now()).keys, code, deviceClock(clock));
    const locked = await call(base, 'POST', '/appliances/enrol', { json: request });
    expect(locked.status).toBe(423);
    expect(locked.body).toMatchObject({ code: 'ENROLMENT_CODE_LOCKED' });
    expect(locked.body.message).toMatch(/locked after repeated wrong attempts: ask for a new code/);
  });

  it('wrong guesses are rate-limited per address: the 11th failure within 15 minutes gets 429 with the retry time', async () => {
    clock.advance(FIFTEEN_MINUTES + 1);
    const firstFailureAt = clock.now().getTime();
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) {
      const bytes = Uint8Array.from({ length: 10 }, (_, i) => (n * 7 + i * 3 + 11) & 31);
      const data = [...bytes].map((b) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[b]).join('');
      const guess = formatEnrolmentCode(data + checkCharacter(data));
      const request = createEnrolmentRequest(
        sodium,
        createKeystore(sodium, clock.now()).keys,
        guess,
        deviceClock(clock),
      );
      const answer = await call(base, 'POST', '/appliances/enrol', { json: request });
      statuses.push(answer.status);
      if (n === 10) {
        expect(answer.body).toMatchObject({
          code: 'RATE_LIMITED',
          details: { retryAt: new Date(firstFailureAt + FIFTEEN_MINUTES).toISOString() },
        });
      }
      clock.advance(1000);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 429]);
  });

  it('wrong codes are also limited per code prefix across addresses: after 20 misses near one prefix, a 4th address gets 429', async () => {
    clock.advance(FIFTEEN_MINUTES + 1);
    const guess = (n: number) => {
      const data = `ZZZZ${'0123456789ABCDEFGHJKMNPQRSTVWXYZ'[n]}00000`;
      return formatEnrolmentCode(data + checkCharacter(data));
    };
    const statuses: number[] = [];
    for (let n = 0; n < 21; n++) {
      const address = `127.0.0.${2 + Math.floor(n / 7)}`;
      const request = createEnrolmentRequest(
        sodium,
        createKeystore(sodium, clock.now()).keys,
        guess(n),
        deviceClock(clock),
      );
      statuses.push((await postFrom(base, address, '/appliances/enrol', request)).status);
    }
    expect(statuses).toEqual([...Array<number>(20).fill(404), 429]);
    const request = createEnrolmentRequest(
      sodium,
      createKeystore(sodium, clock.now()).keys,
      guess(25),
      deviceClock(clock),
    );
    const fresh = await postFrom(base, '127.0.0.9', '/appliances/enrol', request);
    expect(fresh.status).toBe(429);
    expect(fresh.body.message).toMatch(/^too many wrong enrolment attempts for codes like this one: wait until /);
  });

  it('a zone with an appliance gets codes only with replace; enrolling with one revokes the old appliance and keeps the lineage', async () => {
    clock.advance(FIFTEEN_MINUTES + 1);
    const busy = await call(base, 'POST', codesPath(beta), { headers: operator, json: {} });
    expect(busy.status).toBe(409);
    expect(busy.body.message).toMatch(/"replace": true/);
    const before = await hub.app.get(DataSource).getRepository('Appliance').findOneByOrFail({ zoneId: beta.zoneId });
    const code = await issueCode(base, betaInstaller, beta.venueId, beta.zoneId, { replace: true });
    const keystore = await enrolDevice(base, sodium, deviceClock(clock), code);
    const repo = hub.app.get(DataSource).getRepository('Appliance');
    expect(await repo.findOneByOrFail({ id: before.id as string })).toMatchObject({
      status: 'revoked',
      zoneId: null,
      replacedById: keystore.applianceId,
      revokedReason: `replaced by appliance ${keystore.applianceId}`,
    });
    expect(await repo.findOneByOrFail({ id: keystore.applianceId as string })).toMatchObject({
      status: 'active',
      zoneId: beta.zoneId,
      replacesId: before.id,
    });
  });
});
