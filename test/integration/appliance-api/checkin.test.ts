import {
  createKeystore,
  enrolledKeystore,
  loadSodium,
  toBase64Url,
  verifyDocument,
  type CheckinRequest,
  type Keystore,
  type Sodium,
} from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { statusRow } from '../../../hub/src/appliance-api/checkin/checkin.service';
import { ApplianceStatusRepository } from '../../../hub/src/appliance-api/status/appliance-status.repository';
import { OfflineSweep } from '../../../hub/src/appliance-api/status/offline-sweep.service';
import { GroupCommit } from '../../../hub/src/database/group-commit';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { createTenant, type TenantFixture } from '../authz/support/fixtures';
import { chain, insertTrack } from '../plays/support';
import {
  call,
  deviceClock,
  signedCall,
  signedHeaders,
  userHeaders,
  type UserHeaders,
  startApplianceHub,
  enrolInZone,
} from '../appliances/support';

const START = '2026-11-24T10:00:00.000Z';
const TRACK = '01936f1e-0000-7000-8000-0000000000aa';

/** A check-in body as an appliance sends it, at the device clock `at`. */
function report(at: Date, overrides: Partial<CheckinRequest> = {}): CheckinRequest {
  return {
    softwareVersion: '1.4.2',
    clock: at.toISOString(),
    uptimeSeconds: 3600,
    state: 'playing',
    planId: null,
    licenceEtag: null,
    nowPlaying: { trackId: TRACK, programmeId: null, startedAt: '2026-11-24T09:58:30.000Z', quality: 'full' },
    cache: { tracks: 12, bytes: 48_000_000, budgetBytes: 4_000_000_000, missing: 3 },
    disk: { freeBytes: 9_000_000_000 },
    playLog: { pending: 4, lastSequence: 120 },
    errors: [{ at: '2026-11-24T09:00:00.000Z', message: 'sink suspended, resumed' }],
    ...overrides,
  };
}

describe.each(databaseKinds())('appliance check-in and status on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let clock: FixedClock;
  let sodium: Sodium;
  let base: string;
  let tenant: TenantFixture;
  let operator: UserHeaders;
  let manager: UserHeaders;
  let device: Keystore;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    clock = new FixedClock(START);
    ({ hub, base, tenant, operator } = await startApplianceHub(db, clock, {
      env: { ROOMTONE_CHECKIN_INTERVAL_SECONDS: '45', ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS: '300' },
    }));
    manager = await userHeaders(hub, tenant.users.venue_manager.email);
    device = await enrolInZone(base, sodium, clock, operator, tenant.venueId, tenant.zoneId);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  beforeEach(() => clock.set(START));

  const url = (path: string) => `${base}/appliance/v1/${path}`;
  /** A check-in from a device whose clock runs `skewMs` ahead of the hub's. */
  const checkin = (keystore: Keystore, body: unknown, skewMs = 0) =>
    signedCall(sodium, deviceClock(clock, skewMs), keystore, 'POST', url('checkin'), body);
  /** A factory-bundled appliance of the venue (in no zone), with its keystore. */
  const bundledDevice = async (): Promise<Keystore> => {
    const spare = createKeystore(sodium, clock.now());
    const bundled = await call(base, 'POST', `/api/venues/${tenant.venueId}/appliances/bundle`, {
      headers: operator,
      json: {
        appliances: [
          {
            publicKeys: {
              signing: toBase64Url(spare.keys.signing.publicKey),
              encryption: toBase64Url(spare.keys.encryption.publicKey),
            },
          },
        ],
      },
    });
    expect(bundled.status).toBe(201);
    const applianceId = (bundled.body.appliances as { id: string }[])[0].id;
    return enrolledKeystore(spare, { applianceId, hubUrl: base, hubPublicKey: device.hubPublicKey as Uint8Array });
  };
  const detail = async (id: string) => {
    const answer = await call(base, 'GET', `/appliances/${id}`, { headers: manager });
    expect(answer.status).toBe(200);
    return answer.body as { live: Record<string, unknown> };
  };

  it('stores the report (hub time, skew = appliance clock - hub clock) and answers with a signed time that verifies', async () => {
    const skew = 1500;
    const answer = await checkin(device, report(new Date(clock.now().getTime() + skew)), skew);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      plan: { id: null, etag: null, changed: false },
      licence: { etag: null, changed: false },
      checkinIntervalSeconds: 45,
      playsStoredThrough: 0,
    });
    expect(verifyDocument(sodium, answer.body.time, device.hubPublicKey as Uint8Array)).toEqual({
      type: 'roomtone.hub-time',
      applianceId: device.applianceId,
      time: START,
    });
    expect((await detail(device.applianceId as string)).live).toEqual({
      status: 'online',
      lastSeenAt: START,
      offlineSince: null,
      state: 'playing',
      nowPlaying: { trackId: TRACK, programmeId: null, startedAt: '2026-11-24T09:58:30.000Z', quality: 'full' },
      cache: { tracks: 12, bytes: 48_000_000, budgetBytes: 4_000_000_000, missing: 3 },
      diskFreeBytes: 9_000_000_000,
      playLogPending: 4,
      planId: null,
      clockSkewMs: 1500,
      softwareVersion: '1.4.2',
      uptimeSeconds: 3600,
      recentErrors: [{ at: '2026-11-24T09:00:00.000Z', message: 'sink suspended, resumed' }],
    });
    // A second check-in replaces the row: a clock behind the hub gives a negative skew.
    clock.advance(60_000);
    const behind = report(new Date(clock.now().getTime() - 2000), { state: 'silent', nowPlaying: null, errors: [] });
    expect((await checkin(device, behind, -2000)).status).toBe(200);
    expect((await detail(device.applianceId as string)).live).toMatchObject({
      lastSeenAt: '2026-11-24T10:01:00.000Z',
      state: 'silent',
      nowPlaying: null,
      clockSkewMs: -2000,
      recentErrors: [],
    });
  });

  it('concurrent check-ins are committed together and each stored; the same signed request twice at once is one 200 and one replay', async () => {
    const others = await Promise.all([bundledDevice(), bundledDevice(), bundledDevice()]);
    const answers = await Promise.all(
      others.map((k) => checkin(k, report(clock.now(), { softwareVersion: k.applianceId as string }))),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const k of others) {
      expect((await detail(k.applianceId as string)).live).toMatchObject({
        status: 'online',
        softwareVersion: k.applianceId,
      });
    }
    const body = Buffer.from(JSON.stringify(report(clock.now())));
    const headers = signedHeaders(sodium, deviceClock(clock), device, 'POST', url('checkin'), body);
    const twice = await Promise.all([1, 2].map(() => fetch(url('checkin'), { method: 'POST', headers, body })));
    const outcomes = await Promise.all(
      twice.map(async (r) => `${r.status} ${(JSON.parse(await r.text()) as { code?: string }).code ?? ''}`),
    );
    expect(outcomes.sort()).toEqual(['200 ', '401 SIGNATURE_NONCE_REPLAYED']);
  });

  it("a replay racing the original is refused where the nonce is stored, with the status row: the accepted one's row stands", async () => {
    // Driven below the guard so the race is certain (SQLite: one writer-thread savepoint each; PostgreSQL: the key).
    const applianceId = device.applianceId as string;
    const statuses = hub.app.get(ApplianceStatusRepository);
    const nonce = { keyId: applianceId, nonce: 'race-checkin', expiresMs: clock.now().getTime() + 300_000 };
    const row = (version: string) =>
      statusRow(applianceId, report(clock.now(), { softwareVersion: version }), clock.now());
    const versions = ['first', 'second'];
    const outcomes = await Promise.allSettled(versions.map((v) => statuses.record(row(v), nonce)));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'SIGNATURE_NONCE_REPLAYED' });
    const winner = versions[outcomes.findIndex((o) => o.status === 'fulfilled')];
    expect((await statuses.find(applianceId))?.softwareVersion).toBe(winner);
  });

  it('group commit (SQLite) waits for an open transaction of the process instead of joining it: its writes survive that rollback', async () => {
    const commits = hub.app.get(GroupCommit);
    if (!commits.enabled) return; // PostgreSQL: writes use the repositories, no group commit
    const dataSource = hub.app.get(DataSource);
    let pending: Promise<number> | undefined;
    await expect(
      dataSource.transaction(async (m) => {
        pending = commits.run(
          'INSERT OR IGNORE INTO signature_nonces (key_id, nonce, expires_at_ms) VALUES (?, ?, ?)',
          ['group-commit-test', 'n1', 1],
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        await m.query('SELECT 1');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await pending).toBe(1);
    const rows: unknown[] = await dataSource.query(
      "SELECT nonce FROM signature_nonces WHERE key_id = 'group-commit-test'",
    );
    expect(rows).toEqual([{ nonce: 'n1' }]);
  });

  it('playsStoredThrough is the highest play sequence stored with every lower one (play intake)', async () => {
    const trackId = await insertTrack(hub.app, tenant.labelId, { title: 'Counted', durationMs: 180_000 });
    const plays = chain({ tag: 7, from: 1, to: 5, trackId, startAt: '2026-11-24T08:00:00.000Z' });
    const upload = (batch: typeof plays) =>
      signedCall(sodium, deviceClock(clock), device, 'POST', url('plays'), { plays: batch });
    expect((await upload(plays.slice(0, 3))).status).toBe(200);
    expect((await checkin(device, report(clock.now()))).body.playsStoredThrough).toBe(3);
    // Sequence 5 without 4 is stored, but the contiguous run still ends at 3.
    expect((await upload(plays.slice(4))).status).toBe(200);
    expect((await checkin(device, report(clock.now()))).body.playsStoredThrough).toBe(3);
    expect((await upload(plays.slice(3, 4))).status).toBe(200);
    expect((await checkin(device, report(clock.now()))).body.playsStoredThrough).toBe(5);
  });

  it('a plan id the zone does not have is reported as changed (the zone has no plan: id null)', async () => {
    const answer = await checkin(device, report(clock.now(), { planId: '01936f1e-0000-7000-8000-0000000000bb' }));
    expect(answer.body.plan).toEqual({ id: null, etag: null, changed: true });
  });

  it('licence: etag and changed in the check-in, signed document with a strong ETag, 304, a new etag on amend, 404 NO_LICENCE when revoked', async () => {
    const granted = await call(base, 'POST', `/venues/${tenant.venueId}/licences`, {
      headers: operator,
      json: { tier: 'full', validFrom: '2026-11-01T00:00:00Z', validUntil: '2027-11-01T00:00:00Z', leaseDays: 10 },
    });
    expect(granted.status).toBe(201);
    const licenceId = granted.body.id as string;
    const first = await checkin(device, report(clock.now()));
    const etag = (first.body.licence as { etag: string }).etag;
    expect(first.body.licence).toEqual({ etag: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), changed: true });

    const fetchLicence = (ifNoneMatch?: string) =>
      signedFetch(sodium, clock, device, url('licence'), ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {});
    const fetched = await fetchLicence();
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('etag')).toBe(`"${etag}"`);
    expect(fetched.headers.get('cache-control')).toBe('no-cache');
    expect(verifyDocument(sodium, JSON.parse(await fetched.text()), device.hubPublicKey as Uint8Array)).toEqual({
      type: 'roomtone.licence',
      applianceId: device.applianceId,
      zoneId: tenant.zoneId,
      terms: {
        licenceId,
        version: 1,
        venueId: tenant.venueId,
        tier: 'full',
        validFrom: '2026-11-01T00:00:00.000Z',
        validUntil: '2027-11-01T00:00:00.000Z',
        leaseDays: 10,
      },
    });
    const notModified = await fetchLicence(`"${etag}"`);
    expect([notModified.status, await notModified.text()]).toEqual([304, '']);
    expect((await checkin(device, report(clock.now(), { licenceEtag: etag }))).body.licence).toEqual({
      etag,
      changed: false,
    });

    const amended = await call(base, 'PATCH', `/licences/${licenceId}`, { headers: operator, json: { leaseDays: 3 } });
    expect(amended.status).toBe(200);
    const after = await checkin(device, report(clock.now(), { licenceEtag: etag }));
    const newEtag = (after.body.licence as { etag: string }).etag;
    expect(after.body.licence).toEqual({ etag: expect.any(String), changed: true });
    expect(newEtag).not.toBe(etag);
    const refetched = await fetchLicence(`"${etag}"`);
    expect(refetched.status).toBe(200);
    expect(refetched.headers.get('etag')).toBe(`"${newEtag}"`);

    const revoked = await call(base, 'POST', `/licences/${licenceId}/revoke`, {
      headers: operator,
      json: { reason: 'unpaid invoice' },
    });
    expect(revoked.status).toBe(200);
    const none = await fetchLicence();
    expect(none.status).toBe(404);
    expect(JSON.parse(await none.text())).toMatchObject({ code: 'NO_LICENCE' });
    expect((await checkin(device, report(clock.now(), { licenceEtag: newEtag }))).body.licence).toEqual({
      etag: null,
      changed: true,
    });
  });

  it('offline after ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS of silence: read-time status, the sweep records when, the gauge counts it; a check-in brings it back', async () => {
    // Hours later every appliance of the other tests is long silent; the first sweep records those, so what follows
    // concerns this appliance alone.
    const T = '2026-11-24T20:00:00.000Z';
    clock.set(T);
    const sweep = hub.app.get(OfflineSweep);
    await sweep.sweep();
    const metric = async (name: string) =>
      Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${base}/metrics`)).text())?.[1]);
    const offlineBefore = await metric('roomtone_appliances\\{status="offline"\\}');
    const transitionsBefore = await metric('roomtone_appliance_offline_transitions_total');
    expect(await metric('roomtone_appliances\\{status="online"\\}')).toBe(0);

    expect((await checkin(device, report(clock.now()))).status).toBe(200);
    expect(await metric('roomtone_appliances\\{status="online"\\}')).toBe(1);
    expect(await metric('roomtone_appliances\\{status="offline"\\}')).toBe(offlineBefore - 1);
    clock.advance(299_999);
    expect((await detail(device.applianceId as string)).live.status).toBe('online');
    expect(await sweep.sweep()).toBe(0);
    clock.advance(1);
    expect((await detail(device.applianceId as string)).live).toMatchObject({ status: 'offline', offlineSince: null });
    expect(await sweep.sweep()).toBe(1);
    expect(await sweep.sweep()).toBe(0);
    expect((await detail(device.applianceId as string)).live).toMatchObject({
      status: 'offline',
      lastSeenAt: T,
      offlineSince: '2026-11-24T20:05:00.000Z',
    });
    expect(await metric('roomtone_appliances\\{status="online"\\}')).toBe(0);
    expect(await metric('roomtone_appliances\\{status="offline"\\}')).toBe(offlineBefore);
    expect(await metric('roomtone_appliance_offline_transitions_total')).toBe(transitionsBefore + 1);

    expect((await checkin(device, report(clock.now()))).status).toBe(200);
    expect((await detail(device.applianceId as string)).live).toMatchObject({
      status: 'online',
      lastSeenAt: '2026-11-24T20:05:00.000Z',
      offlineSince: null,
    });
    expect(await metric('roomtone_appliances\\{status="online"\\}')).toBe(1);
  });

  it('a bad body is refused with 400 naming each bad field, and changes nothing', async () => {
    expect((await checkin(device, report(clock.now(), { softwareVersion: 'before' }))).status).toBe(200);
    clock.advance(10_000);
    const cases: [unknown, string[]][] = [
      [{ ...report(clock.now()), state: 'dancing' }, ['state']],
      [{ ...report(clock.now()), cache: { tracks: 1, bytes: -5, budgetBytes: 1, missing: 0 } }, ['cache.bytes']],
      [{ ...report(clock.now()), clock: '24/11/2026 10:00' }, ['clock']],
      [{ ...report(clock.now()), planId: undefined }, ['planId']],
      [{ ...report(clock.now()), nowPlaying: { trackId: TRACK } }, ['nowPlaying.startedAt', 'nowPlaying.quality']],
      [{ ...report(clock.now()), errors: Array.from({ length: 21 }, () => ({ at: START, message: 'x' })) }, ['errors']],
      [{ ...report(clock.now()), colour: 'blue' }, ['colour']],
    ];
    for (const [body, fields] of cases) {
      const answer = await checkin(device, body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      const named = (answer.body.details as { fields: { field: string }[] }).fields.map((f) => f.field);
      for (const field of fields) expect(named).toContain(field);
      expect(answer.body.message).toContain(fields[0].split('.')[0]);
    }
    expect((await detail(device.applianceId as string)).live).toMatchObject({
      softwareVersion: 'before',
      lastSeenAt: START,
    });
  });

  it('an appliance in no zone: plan id null on check-in, 404 NO_PLAN and NO_LICENCE; the venue list shows it as never seen until then', async () => {
    const keystore = await bundledDevice();
    const spareId = keystore.applianceId as string;
    const listed = await call(base, 'GET', `/venues/${tenant.venueId}/appliances`, { headers: manager });
    expect(listed.status).toBe(200);
    const rows = listed.body as unknown as { id: string; live: { status: string; lastSeenAt: string | null } }[];
    expect(rows.find((r) => r.id === spareId)?.live).toMatchObject({ status: 'never', lastSeenAt: null });
    expect(rows.find((r) => r.id === device.applianceId)?.live.status).toBe('online');

    const answer = await checkin(keystore, report(clock.now()));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      plan: { id: null, etag: null, changed: false },
      licence: { etag: null, changed: false },
    });
    const plan = await signedCall(sodium, deviceClock(clock), keystore, 'GET', url('plan'));
    expect([plan.status, plan.body.code]).toEqual([404, 'NO_PLAN']);
    expect(plan.body.message).toMatch(/not in a zone/);
    const licence = await signedCall(sodium, deviceClock(clock), keystore, 'GET', url('licence'));
    expect([licence.status, licence.body.code]).toEqual([404, 'NO_LICENCE']);
    expect((await detail(spareId)).live.status).toBe('online');
  });

  it("a revoked appliance gets 401 SIGNATURE_KEY_REVOKED on check-in, plan and licence; other venues' managers cannot see its status", async () => {
    const doomed = await bundledDevice();
    const beta = await createTenant(hub.app, 'Beta');
    const stranger = await userHeaders(hub, beta.users.venue_manager.email);
    expect((await call(base, 'GET', `/appliances/${doomed.applianceId}`, { headers: stranger })).status).toBe(404);
    const revoked = await call(base, 'POST', `/appliances/${doomed.applianceId}/revoke`, {
      headers: manager,
      json: { reason: 'stolen from the shop' },
    });
    expect(revoked.status).toBe(200);
    for (const [method, path, body] of [
      ['POST', 'checkin', report(clock.now())],
      ['GET', 'plan', undefined],
      ['GET', 'licence', undefined],
    ] as const) {
      const answer = await signedCall(sodium, deviceClock(clock), doomed, method, url(path), body);
      expect([path, answer.status, answer.body.code]).toEqual([path, 401, 'SIGNATURE_KEY_REVOKED']);
    }
  });
});

/** A signed GET with extra headers, returning the raw Response (for ETag and 304 checks). */
async function signedFetch(
  sodium: Sodium,
  clock: FixedClock,
  keystore: Keystore,
  target: string,
  extra: Record<string, string>,
): Promise<Response> {
  return fetch(target, {
    headers: { ...signedHeaders(sodium, deviceClock(clock), keystore, 'GET', target), ...extra },
  });
}
