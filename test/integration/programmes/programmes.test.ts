import request from 'supertest';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { ProgrammeReferences } from '../../../hub/src/programmes/programme-references';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createTenant, type TenantFixture } from '../authz/support/fixtures';
import { insertTrack, invalidationsOf, operatorToken, tokenOf } from './support';

describe.each(databaseKinds())('programmes on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let mine: TenantFixture;
  let theirs: TenantFixture;
  const tokens = {} as Record<'manager' | 'installer' | 'owner' | 'foreign' | 'operator', string>;
  let jazz: string;
  let soul: string;
  let theirFailed: string;
  const clock = new FixedClock('2026-11-24T09:30:00.000Z');
  /** Zones the test's ProgrammeReferences lookup reports as using a programme. */
  const referenced = new Map<string, string[]>();

  const as = (who: keyof typeof tokens) => {
    const agent = request(hub.app.getHttpServer());
    const auth = { Authorization: `Bearer ${tokens[who]}` };
    return {
      get: (path: string) => agent.get(path).set(auth),
      post: (path: string, body: object) => agent.post(path).set(auth).send(body),
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
  const create = (body: object, who: keyof typeof tokens = 'manager') =>
    as(who).post(`/organisations/${mine.businessId}/programmes`, body);

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
    tokens.owner = await tokenOf(hub.app, mine.users.rights_owner.email);
    tokens.foreign = await tokenOf(hub.app, theirs.users.venue_manager.email);
    tokens.operator = await operatorToken(hub.app, 'op@programmes.test');
    jazz = await insertTrack(hub.app, mine.labelId, { title: 'Blue Hour', genre: 'Jazz' });
    soul = await insertTrack(hub.app, theirs.labelId, { title: 'Warm Soul', genre: 'Soul' });
    theirFailed = await insertTrack(hub.app, theirs.labelId, { title: 'Broken', status: 'failed' });
    hub.app.get(ProgrammeReferences).register((id) => Promise.resolve(referenced.get(id) ?? []));
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('a venue manager creates an ordered programme; managers and installers of the business read it', async () => {
    const created = await create({
      name: 'Morning',
      kind: 'ordered',
      trackIds: [jazz, soul],
      crossfadeMs: 2500,
    }).expect(201);
    const expected = {
      id: created.body.id,
      organisationId: mine.businessId,
      name: 'Morning',
      kind: 'ordered',
      trackIds: [jazz, soul],
      rules: null,
      repeatWindowMinutes: 0,
      artistSeparationMinutes: 0,
      crossfadeMs: 2500,
      version: 1,
      createdAt: '2026-11-24T09:30:00.000Z',
      updatedAt: '2026-11-24T09:30:00.000Z',
    };
    expect(created.body).toEqual(expected);
    expect((await as('installer').get(`/programmes/${created.body.id}`).expect(200)).body).toEqual(expected);
    const listed = await as('manager').get(`/organisations/${mine.businessId}/programmes`).expect(200);
    expect(listed.body).toContainEqual(expected);
    expect(await invalidationsOf(hub.app, created.body.id)).toEqual([['programme', 'programme.create']]);
    const audit = await auditOf('programme', created.body.id);
    expect(audit.map((a) => [a.action, a.organisationId, a.before])).toEqual([
      ['programme.create', mine.businessId, null],
    ]);
    expect(audit[0].after).toMatchObject({ name: 'Morning', kind: 'ordered', trackIds: [jazz, soul], version: 1 });
  });

  it('patching bumps the version and updated_at, is audited with before/after and invalidates plans', async () => {
    const id = (await create({ name: 'Patch me', kind: 'shuffled', trackIds: [jazz] }).expect(201)).body.id;
    clock.set('2026-11-24T10:00:00.000Z');
    const patched = await as('manager')
      .patch(`/programmes/${id}`, { trackIds: [soul, jazz], repeatWindowMinutes: 90, artistSeparationMinutes: 20 })
      .expect(200);
    expect(patched.body).toMatchObject({
      trackIds: [soul, jazz],
      repeatWindowMinutes: 90,
      artistSeparationMinutes: 20,
      version: 2,
      createdAt: '2026-11-24T09:30:00.000Z',
      updatedAt: '2026-11-24T10:00:00.000Z',
    });
    // The same values again change nothing: no new version, audit entry or invalidation.
    await as('manager').patch(`/programmes/${id}`, { repeatWindowMinutes: 90 }).expect(200);
    expect((await as('manager').get(`/programmes/${id}`).expect(200)).body.version).toBe(2);
    expect(await invalidationsOf(hub.app, id)).toEqual([
      ['programme', 'programme.create'],
      ['programme', 'programme.update'],
    ]);
    const audit = await auditOf('programme', id);
    expect(audit.map((a) => a.action)).toEqual(['programme.create', 'programme.update']);
    expect(audit[1].before).toMatchObject({ trackIds: [jazz], repeatWindowMinutes: 0, version: 1 });
    expect(audit[1].after).toMatchObject({ trackIds: [soul, jazz], repeatWindowMinutes: 90, version: 2 });
    clock.set('2026-11-24T09:30:00.000Z');
  });

  it('concurrent patches never lose an update: each one answered 200 bumped the version, the others are 409', async () => {
    const id = (await create({ name: 'Contended', kind: 'ordered', trackIds: [jazz] }).expect(201)).body.id;
    const responses = await Promise.all(
      [5, 10, 15, 20, 25, 30].map((minutes) =>
        as('manager').patch(`/programmes/${id}`, { repeatWindowMinutes: minutes }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThanOrEqual(1);
    const stored = (await as('manager').get(`/programmes/${id}`).expect(200)).body;
    expect(stored.version).toBe(1 + ok);
    expect((await auditOf('programme', id)).filter((a) => a.action === 'programme.update')).toHaveLength(ok);
  });

  it('track lists must name ready tracks: unknown or unusable ids are a 422 naming them, and nothing is stored', async () => {
    const missing = '01890000-0000-7000-8000-000000000000';
    const response = await create({ name: 'Bad list', kind: 'ordered', trackIds: [jazz, missing, theirFailed] }).expect(
      422,
    );
    expect(response.body.code).toBe('UNPROCESSABLE');
    expect(response.body.message).toContain(missing);
    expect(response.body.message).toContain(theirFailed);
    expect(response.body.details.trackIds).toEqual([missing, theirFailed]);
    expect(response.body.details.fields[0].field).toBe('trackIds');
    const listed = await as('manager').get(`/organisations/${mine.businessId}/programmes`).expect(200);
    const names = (listed.body as { name: string }[]).map((p) => p.name);
    expect(names).not.toContain('Bad list');
  });

  it.each([
    ['an ordered programme without trackIds', { name: 'X1', kind: 'ordered' }, 'trackIds'],
    ['an empty track list', { name: 'X2', kind: 'shuffled', trackIds: [] }, 'trackIds'],
    ['rules on a list programme', { name: 'X3', kind: 'ordered', trackIds: [], rules: {} }, 'rules'],
    ['a rules programme without rules', { name: 'X4', kind: 'rules' }, 'rules'],
    ['a track list on a rules programme', { name: 'X5', kind: 'rules', rules: {}, trackIds: [] }, 'trackIds'],
    ['bpmMax below bpmMin', { name: 'X6', kind: 'rules', rules: { bpmMin: 120, bpmMax: 90 } }, 'rules.bpmMax'],
  ])('%s is a 422 naming the field', async (_case, body, field) => {
    const response = await create(body).expect(422);
    expect((response.body.details.fields as { field: string }[]).map((f) => f.field)).toEqual([field]);
    expect(response.body.message).toContain(field);
  });

  it('a rules programme may only name labels as owners (422 naming rules.ownerOrganisationIds)', async () => {
    const response = await create({
      name: 'Owners',
      kind: 'rules',
      rules: { ownerOrganisationIds: [mine.businessId] },
    }).expect(422);
    expect(response.body.details.fields[0].field).toBe('rules.ownerOrganisationIds');
    expect(response.body.message).toContain(mine.businessId);
  });

  it('malformed settings are refused by the request validation (400 naming the field)', async () => {
    const response = await create({ name: 'Fade', kind: 'ordered', trackIds: [jazz], crossfadeMs: 12001 }).expect(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details.fields).toEqual([
      { field: 'crossfadeMs', problems: ['crossfadeMs must be a whole number of milliseconds from 0 to 12000'] },
    ]);
    await create({ name: 'Kind', kind: 'random', trackIds: [jazz] }).expect(400);
    await create({ name: 'Ids', kind: 'ordered', trackIds: ['not-a-uuid'] }).expect(400);
  });

  it('names are unique per business (409) but may repeat across businesses', async () => {
    await create({ name: 'Evening', kind: 'ordered', trackIds: [jazz] }).expect(201);
    const dup = await create({ name: 'Evening', kind: 'ordered', trackIds: [jazz] }).expect(409);
    expect(dup.body.message).toContain('"Evening"');
    await as('foreign')
      .post(`/organisations/${theirs.businessId}/programmes`, { name: 'Evening', kind: 'ordered', trackIds: [jazz] })
      .expect(201);
    const other = (await create({ name: 'Late', kind: 'ordered', trackIds: [jazz] }).expect(201)).body.id;
    await as('manager').patch(`/programmes/${other}`, { name: 'Evening' }).expect(409);
  });

  it('rights owners cannot create programmes; labels cannot own them', async () => {
    await as('owner')
      .post(`/organisations/${mine.labelId}/programmes`, { name: 'Label', kind: 'ordered', trackIds: [jazz] })
      .expect(403);
    const response = await as('operator')
      .post(`/organisations/${mine.labelId}/programmes`, { name: 'Label', kind: 'ordered', trackIds: [jazz] })
      .expect(422);
    expect(response.body.message).toContain('programmes belong to businesses');
    await as('installer')
      .post(`/organisations/${mine.businessId}/programmes`, { name: 'Inst', kind: 'ordered', trackIds: [jazz] })
      .expect(403);
  });

  it("another business's programme is a 404 for every call, and its list is not visible", async () => {
    const id = (await create({ name: 'Private', kind: 'ordered', trackIds: [jazz] }).expect(201)).body.id;
    await as('foreign').get(`/programmes/${id}`).expect(404);
    await as('foreign').get(`/programmes/${id}/tracks`).expect(404);
    await as('foreign').patch(`/programmes/${id}`, { name: 'Stolen' }).expect(404);
    await as('foreign').delete(`/programmes/${id}`).expect(404);
    await as('foreign').get(`/organisations/${mine.businessId}/programmes`).expect(404);
    await as('foreign')
      .post(`/organisations/${mine.businessId}/programmes`, { name: 'Intruder', kind: 'ordered', trackIds: [jazz] })
      .expect(404);
    expect((await as('manager').get(`/programmes/${id}`).expect(200)).body).toMatchObject({
      name: 'Private',
      version: 1,
    });
  });

  it('deleting a programme a published schedule names is a 409 naming the zones; otherwise it is gone', async () => {
    const id = (await create({ name: 'Doomed', kind: 'ordered', trackIds: [jazz] }).expect(201)).body.id;
    referenced.set(id, [mine.zoneId]);
    const refused = await as('manager').delete(`/programmes/${id}`).expect(409);
    expect(refused.body.message).toContain(mine.zoneId);
    expect(refused.body.details).toEqual({ zoneIds: [mine.zoneId] });
    await as('manager').get(`/programmes/${id}`).expect(200);
    referenced.delete(id);
    await as('manager').delete(`/programmes/${id}`).expect(204);
    await as('manager').get(`/programmes/${id}`).expect(404);
    expect(await invalidationsOf(hub.app, id)).toEqual([
      ['programme', 'programme.create'],
      ['programme', 'programme.delete'],
    ]);
    expect((await auditOf('programme', id)).map((a) => [a.action, a.after === null])).toEqual([
      ['programme.create', false],
      ['programme.delete', true],
    ]);
  });

  it("a real published schedule naming the programme blocks its deletion (the zone schedules' registered lookup)", async () => {
    const id = (await create({ name: 'Scheduled', kind: 'ordered', trackIds: [jazz] }).expect(201)).body.id;
    const manager = request(hub.app.getHttpServer());
    const auth = { Authorization: `Bearer ${tokens.manager}` };
    await manager
      .put(`/zones/${mine.zoneId}/schedule/draft`)
      .set(auth)
      .send({
        version: 1,
        blocks: [
          {
            id: 'day',
            rule: { rrule: 'DTSTART:20260101T080000\nRRULE:FREQ=DAILY' },
            end: '18:00',
            programme: id,
            volume: 50,
          },
        ],
      })
      .expect(200);
    await manager.post(`/zones/${mine.zoneId}/schedule/publish`).set(auth).expect(200);
    const refused = await as('manager').delete(`/programmes/${id}`).expect(409);
    expect(refused.body.details).toEqual({ zoneIds: [mine.zoneId] });
    await as('manager').get(`/programmes/${id}`).expect(200);
  });

  it('GET /programmes/:id/tracks lists the ready tracks a rules programme matches, by title', async () => {
    const a = await insertTrack(hub.app, mine.labelId, { title: 'Aa Lounge', genre: 'lounge', bpm: 96 });
    const b = await insertTrack(hub.app, mine.labelId, { title: 'Ab Lounge', genre: 'LOUNGE', bpm: 140 });
    await insertTrack(hub.app, mine.labelId, { title: 'Ac Lounge', genre: 'Lounge', bpm: 100, status: 'ingesting' });
    await insertTrack(hub.app, mine.labelId, { title: 'Ad Lounge', genre: 'Lounge', bpm: 100, explicit: true });
    const id = (await create({ name: 'Lounge', kind: 'rules', rules: { genres: ['Lounge'], bpmMax: 130 } }).expect(201))
      .body.id;
    const tracks = await as('installer').get(`/programmes/${id}/tracks`).expect(200);
    expect((tracks.body as { id: string }[]).map((t) => t.id)).toEqual([a]);
    await as('manager')
      .patch(`/programmes/${id}`, { rules: { genres: ['lounge'] } })
      .expect(200);
    const wider = await as('manager').get(`/programmes/${id}/tracks`).expect(200);
    expect((wider.body as { title: string }[]).map((t) => t.title)).toEqual(['Aa Lounge', 'Ab Lounge']);
    expect((wider.body as { id: string }[]).map((t) => t.id)).toEqual([a, b]);
  });
});
