import request from 'supertest';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createTenant, type TenantFixture } from '../authz/support/fixtures';
import { insertTrack, invalidationsOf, operatorToken, tokenOf } from './support';

describe.each(databaseKinds())("per-zone blocked tracks and the venue's explicit switch on %s", (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let mine: TenantFixture;
  let theirs: TenantFixture;
  const tokens = {} as Record<'manager' | 'installer' | 'foreign' | 'operator', string>;
  let track: string;
  const clock = new FixedClock('2026-11-24T09:30:00.000Z');

  const as = (who: keyof typeof tokens) => {
    const agent = request(hub.app.getHttpServer());
    const auth = { Authorization: `Bearer ${tokens[who]}` };
    return {
      get: (path: string) => agent.get(path).set(auth),
      patch: (path: string, body: object) => agent.patch(path).set(auth).send(body),
      put: (path: string) => agent.put(path).set(auth),
      delete: (path: string) => agent.delete(path).set(auth),
    };
  };
  const auditOf = async (entityType: string, id: string) =>
    (
      (await as('operator').get(`/audit?entityType=${entityType}&entityId=${id}`).expect(200)).body as {
        items: { action: string; before: unknown; after: unknown; organisationId: string }[];
      }
    ).items.reverse();

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' },
      customise: (b) =>
        b.overrideProvider(PasswordHasher).useValue(cheapHasher).overrideProvider(Clock).useValue(clock),
    });
    mine = await createTenant(hub.app, 'Mine');
    theirs = await createTenant(hub.app, 'Theirs');
    tokens.manager = await tokenOf(hub.app, mine.users.venue_manager.email);
    tokens.installer = await tokenOf(hub.app, mine.users.installer.email);
    tokens.foreign = await tokenOf(hub.app, theirs.users.venue_manager.email);
    tokens.operator = await operatorToken(hub.app, 'op@blocked.test');
    track = await insertTrack(hub.app, theirs.labelId, { title: 'Too Loud' });
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('blocking is idempotent: one row, one audit entry, one invalidation of the zone', async () => {
    const path = `/zones/${mine.zoneId}/blocked-tracks`;
    const expected = {
      zoneId: mine.zoneId,
      trackId: track,
      blockedByUserId: mine.users.venue_manager.id,
      createdAt: '2026-11-24T09:30:00.000Z',
    };
    expect((await as('manager').put(`${path}/${track}`).expect(200)).body).toEqual(expected);
    clock.set('2026-11-24T11:00:00.000Z');
    expect((await as('manager').put(`${path}/${track}`).expect(200)).body).toEqual(expected);
    expect((await as('installer').get(path).expect(200)).body).toEqual([expected]);
    expect(await invalidationsOf(hub.app, mine.zoneId)).toEqual([['zone', 'blocked-track.put']]);
    const audit = await auditOf('zone', mine.zoneId);
    expect(audit.map((a) => [a.action, a.organisationId, a.before, a.after])).toEqual([
      ['blocked-track.put', mine.businessId, null, { trackId: track }],
    ]);

    await as('manager').delete(`${path}/${track}`).expect(204);
    await as('manager').delete(`${path}/${track}`).expect(204);
    expect((await as('manager').get(path).expect(200)).body).toEqual([]);
    expect(await invalidationsOf(hub.app, mine.zoneId)).toEqual([
      ['zone', 'blocked-track.put'],
      ['zone', 'blocked-track.delete'],
    ]);
    expect((await auditOf('zone', mine.zoneId)).map((a) => a.action)).toEqual([
      'blocked-track.put',
      'blocked-track.delete',
    ]);
    clock.set('2026-11-24T09:30:00.000Z');
  });

  it('only ready catalogue tracks can be blocked (404 otherwise, nothing stored)', async () => {
    const failed = await insertTrack(hub.app, theirs.labelId, { title: 'Broken', status: 'failed' });
    const missing = '01890000-0000-7000-8000-000000000001';
    for (const id of [failed, missing]) {
      const response = await as('manager').put(`/zones/${mine.zoneId}/blocked-tracks/${id}`).expect(404);
      expect(response.body.message).toContain(id);
    }
    await as('manager').put(`/zones/${mine.zoneId}/blocked-tracks/not-a-uuid`).expect(400);
    expect((await as('manager').get(`/zones/${mine.zoneId}/blocked-tracks`).expect(200)).body).toEqual([]);
  });

  it("installers may read but not change a zone's blocked tracks; other businesses get 404", async () => {
    await as('installer').put(`/zones/${mine.zoneId}/blocked-tracks/${track}`).expect(403);
    await as('installer').delete(`/zones/${mine.zoneId}/blocked-tracks/${track}`).expect(403);
    await as('foreign').get(`/zones/${mine.zoneId}/blocked-tracks`).expect(404);
    await as('foreign').put(`/zones/${mine.zoneId}/blocked-tracks/${track}`).expect(404);
    await as('foreign').delete(`/zones/${mine.zoneId}/blocked-tracks/${track}`).expect(404);
    expect((await as('operator').get(`/zones/${mine.zoneId}/blocked-tracks`).expect(200)).body).toEqual([]);
  });

  it('the explicit switch is off by default, set with PATCH /venues/:id, audited, and invalidates the venue', async () => {
    const venue = `/venues/${mine.venueId}`;
    expect((await as('installer').get(venue).expect(200)).body.allowExplicit).toBe(false);
    const patched = await as('manager').patch(venue, { allowExplicit: true }).expect(200);
    expect(patched.body).toMatchObject({ id: mine.venueId, allowExplicit: true });
    expect((await as('installer').get(venue).expect(200)).body.allowExplicit).toBe(true);
    // The same value again: no change, no invalidation.
    await as('manager').patch(venue, { allowExplicit: true }).expect(200);
    // A rename alone does not touch plans.
    await as('manager').patch(venue, { name: 'Mine Renamed' }).expect(200);
    expect(await invalidationsOf(hub.app, mine.venueId)).toEqual([['venue', 'venue.explicit']]);
    const audit = await auditOf('venue', mine.venueId);
    expect(audit.map((a) => [a.action, a.before, a.after])).toContainEqual([
      'venue.update',
      { allowExplicit: false },
      { allowExplicit: true },
    ]);
    const bad = await as('manager').patch(venue, { allowExplicit: 'yes' }).expect(400);
    expect(bad.body.details.fields).toEqual([
      { field: 'allowExplicit', problems: ['allowExplicit must be true or false'] },
    ]);
    await as('installer').patch(venue, { allowExplicit: false }).expect(403);
    await as('foreign').patch(venue, { allowExplicit: false }).expect(404);
    expect((await as('manager').get(venue).expect(200)).body.allowExplicit).toBe(true);
  });
});
