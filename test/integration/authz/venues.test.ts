import { FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { createUser, startClockedHub } from './support/fixtures';
import {
  createCaller,
  type Caller,
  type MatrixTenant,
  callAs,
  mineAndTheirs,
  createOperatorCaller,
} from './support/matrix-fixtures';

describe.each(databaseKinds())('venues, zones, venue groups and the audit log on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let mine: MatrixTenant;
  let theirs: MatrixTenant;
  let manager: Caller;
  let installer: Caller;
  let contractor: Caller;
  let operator: Caller;
  const clock = new FixedClock('2026-11-24T09:30:00.000Z');
  const as = (caller: Caller) => callAs(hub.app, caller);

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startClockedHub(db, clock);
    ({ mine, theirs, manager, installer } = await mineAndTheirs(hub.app, db.dataDir));
    await createUser(hub.app, 'contractor@fitters.test');
    contractor = await createCaller(hub.app, 'installer', 'contractor@fitters.test');
    operator = await createOperatorCaller(hub.app);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  const venue = (overrides: object = {}) => ({
    organisationId: mine.businessId,
    name: 'Harbour Bar',
    address: '1 Quay Street',
    timeZone: 'Europe/Berlin',
    ...overrides,
  });

  it('refuses a time zone that is not an IANA name, saying what to use', async () => {
    for (const timeZone of ['Europe/Atlantis', '+01:00', 'CEST']) {
      const r = await as(manager).post('/venues', venue({ timeZone })).expect(422);
      expect(r.body).toMatchObject({
        code: 'INVALID_TIME_ZONE',
        message: `timeZone '${timeZone}' is not an IANA time zone; use a name such as Europe/Berlin or America/New_York`,
      });
    }
  });

  it('refuses overlapping or malformed opening hours, naming each problem', async () => {
    const r = await as(manager)
      .post(
        '/venues',
        venue({
          openingHours: [
            { weekday: 5, opens: '18:00', closes: '03:00' },
            { weekday: 6, opens: '02:00', closes: '04:00' },
          ],
        }),
      )
      .expect(400);
    expect(r.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'openingHours', problems: ['openingHours[0] overlaps openingHours[1]'] }] },
    });
    const bad = await as(manager)
      .post('/venues', venue({ openingHours: [{ weekday: 8, opens: '9am', closes: '17:00' }] }))
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body.details)).toContain('weekday must be 1 (Monday) to 7 (Sunday)');
    expect(JSON.stringify(bad.body.details)).toContain('opens must be a local time HH:MM');
  });

  it('creates a venue with opening hours sorted by weekday, and its zones with unique names', async () => {
    const created = await as(manager)
      .post(
        '/venues',
        venue({
          openingHours: [
            { weekday: 6, opens: '18:00', closes: '02:00' },
            { weekday: 1, opens: '09:00', closes: '17:00' },
          ],
        }),
      )
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      organisationId: mine.businessId,
      venueGroupId: null,
      name: 'Harbour Bar',
      address: '1 Quay Street',
      timeZone: 'Europe/Berlin',
      openingHours: [
        { weekday: 1, opens: '09:00', closes: '17:00' },
        { weekday: 6, opens: '18:00', closes: '02:00' },
      ],
      allowExplicit: false,
      createdAt: '2026-11-24T09:30:00.000Z',
      updatedAt: '2026-11-24T09:30:00.000Z',
    });
    const id = (created.body as { id: string }).id;
    await as(manager).post(`/venues/${id}/zones`, { name: 'Terrace' }).expect(201);
    const dup = await as(manager).post(`/venues/${id}/zones`, { name: 'Terrace' }).expect(409);
    expect(dup.body).toMatchObject({
      code: 'CONFLICT',
      message: "this venue already has a zone named 'Terrace'; choose another name",
    });
    const zones = await as(installer).get(`/venues/${id}/zones`).expect(200);
    expect((zones.body as { name: string }[]).map((z) => z.name)).toEqual(['Terrace']);
  });

  it('venues belong to businesses, and a group must be of the same business', async () => {
    const label = await as(operator)
      .post('/venues', venue({ organisationId: mine.labelId }))
      .expect(422);
    expect(label.body.message).toBe(`organisation ${mine.labelId} is a label; venues belong to businesses`);
    const foreignGroup = await as(operator)
      .post('/venues', venue({ venueGroupId: theirs.venueGroupId }))
      .expect(404);
    expect(foreignGroup.body.code).toBe('NOT_FOUND');
  });

  it('lists only the caller’s venues; installers see but cannot change them', async () => {
    const list = await as(manager).get('/venues').expect(200);
    const ids = (list.body as { id: string; organisationId: string }[]).map((v) => v.organisationId);
    expect(new Set(ids)).toEqual(new Set([mine.businessId]));
    await as(installer).get(`/venues/${mine.venueId}`).expect(200);
    const patch = await as(installer).patch(`/venues/${mine.venueId}`, { name: 'Nope' }).expect(403);
    expect(patch.body).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('an installer authorised for one venue sees that venue and its zones, and nothing else', async () => {
    await as(contractor).get(`/venues/${theirs.venueId}`).expect(403); // no role anywhere yet
    await as(operator).post(`/users/${contractor.userId}/venue-grants`, { venueId: theirs.venueId }).expect(201);
    const list = await as(contractor).get('/venues').expect(200);
    expect((list.body as { id: string }[]).map((v) => v.id)).toEqual([theirs.venueId]);
    await as(contractor).get(`/zones/${theirs.zoneId}`).expect(200);
    await as(contractor).get(`/venues/${mine.venueId}`).expect(404);
    await as(contractor).get(`/organisations/${theirs.businessId}`).expect(404);
    await as(operator).delete(`/users/${contractor.userId}/venue-grants/${theirs.venueId}`).expect(204);
    await as(contractor).get(`/venues/${theirs.venueId}`).expect(403);
  });

  it('records who changed what: actor, action, entity, before/after of the changed fields, time and request id', async () => {
    clock.set('2026-11-24T10:00:00.000Z');
    const update = await as(manager)
      .patch(`/venues/${mine.venueId}`, { name: 'Mine Harbourside', timeZone: 'Europe/Lisbon', address: null })
      .set('X-Request-Id', 'req-venue-rename-1')
      .expect(200);
    expect(update.headers['x-request-id']).toBe('req-venue-rename-1');
    const audit = await as(operator).get(`/audit?entityType=venue&entityId=${mine.venueId}`).expect(200);
    expect(audit.body).toEqual({
      items: [
        {
          id: expect.any(String),
          occurredAt: '2026-11-24T10:00:00.000Z',
          actor: { userId: manager.userId, email: mine.users.venue_manager.email },
          action: 'venue.update',
          entityType: 'venue',
          entityId: mine.venueId,
          organisationId: mine.businessId,
          before: { name: 'Mine Main Street', timeZone: 'Europe/Berlin' },
          after: { name: 'Mine Harbourside', timeZone: 'Europe/Lisbon' },
          requestId: 'req-venue-rename-1',
        },
      ],
      nextBefore: null,
    });
    await as(manager).get('/audit').expect(403);
  });

  it('a refused change leaves no trace: no row, no audit entry', async () => {
    const before = await as(operator).get('/audit?limit=200').expect(200);
    await as(manager).patch(`/venues/${mine.venueId}`, { timeZone: 'Mars/Olympus' }).expect(422);
    await as(manager).patch(`/venues/${theirs.venueId}`, { name: 'Hijack' }).expect(404);
    const after = await as(operator).get('/audit?limit=200').expect(200);
    expect(after.body).toEqual(before.body);
    const venueNow = await as(operator).get(`/venues/${theirs.venueId}`).expect(200);
    expect(venueNow.body.name).toBe('Theirs Main Street');
  });

  it('pages the audit log newest first', async () => {
    const first = await as(operator).get('/audit?limit=2').expect(200);
    const page = first.body as { items: { id: string }[]; nextBefore: string };
    expect(page.items).toHaveLength(2);
    expect(page.nextBefore).toBe(page.items[1].id);
    const second = await as(operator).get(`/audit?limit=2&before=${page.nextBefore}`).expect(200);
    const next = second.body as { items: { id: string }[] };
    expect(next.items[0].id < page.items[1].id).toBe(true);
  });
});
