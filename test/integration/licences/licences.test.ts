import { FixedClock } from '../../../hub/src/common/time/clock';
import { LicencesService } from '../../../hub/src/licences/licences.service';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { startClockedHub } from '../authz/support/fixtures';
import {
  createCaller,
  type Caller,
  type MatrixTenant,
  callAs,
  mineAndTheirs,
  createOperatorCaller,
} from '../authz/support/matrix-fixtures';

describe.each(databaseKinds())('venue licences on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let mine: MatrixTenant;
  let theirs: MatrixTenant;
  let manager: Caller;
  let installer: Caller;
  let foreignManager: Caller;
  let operator: Caller;
  let venueId: string;
  let bar: string;
  let terrace: string;
  const clock = new FixedClock('2026-11-24T09:30:00.000Z');
  const as = (caller: Caller) => callAs(hub.app, caller);
  const terms = (overrides: object = {}) => ({
    zoneIds: [bar],
    tier: 'full',
    validFrom: '2026-12-01T00:00:00Z',
    validUntil: '2027-12-01T00:00:00Z',
    leaseDays: 14,
    ...overrides,
  });
  const auditOf = async (id: string) =>
    (await as(operator).get(`/audit?entityType=licence&entityId=${id}`).expect(200)).body as {
      items: { action: string; before: unknown; after: unknown; organisationId: string }[];
    };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startClockedHub(db, clock);
    ({ mine, theirs, manager, installer } = await mineAndTheirs(hub.app, db.dataDir));
    foreignManager = await createCaller(hub.app, 'venue_manager', theirs.users.venue_manager.email);
    operator = await createOperatorCaller(hub.app);
    const venue = await as(operator)
      .post('/venues', { organisationId: mine.businessId, name: 'Licence Bar', timeZone: 'Europe/Paris' })
      .expect(201);
    venueId = venue.body.id;
    bar = (await as(operator).post(`/venues/${venueId}/zones`, { name: 'Bar' }).expect(201)).body.id;
    terrace = (await as(operator).post(`/venues/${venueId}/zones`, { name: 'Terrace' }).expect(201)).body.id;
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  beforeEach(() => clock.set('2026-11-24T09:30:00.000Z'));

  it('an operator creates a licence; managers and installers of the venue read it, pending until validFrom', async () => {
    const created = await as(operator).post(`/venues/${venueId}/licences`, terms()).expect(201);
    const expected = {
      id: created.body.id,
      venueId,
      zoneIds: [bar],
      tier: 'full',
      validFrom: '2026-12-01T00:00:00.000Z',
      validUntil: '2027-12-01T00:00:00.000Z',
      leaseDays: 14,
      version: 1,
      status: 'pending',
      revokedAt: null,
      revokedReason: null,
      createdAt: '2026-11-24T09:30:00.000Z',
      updatedAt: '2026-11-24T09:30:00.000Z',
    };
    expect(created.body).toEqual(expected);
    expect((await as(manager).get(`/licences/${created.body.id}`).expect(200)).body).toEqual(expected);
    expect((await as(installer).get(`/venues/${venueId}/licences`).expect(200)).body).toEqual([expected]);
    const audit = await auditOf(created.body.id);
    expect(audit.items.map((i) => [i.action, i.organisationId, i.before, i.after])).toEqual([
      [
        'licence.create',
        mine.businessId,
        null,
        {
          version: 1,
          zoneIds: [bar],
          tier: 'full',
          validFrom: '2026-12-01T00:00:00.000Z',
          validUntil: '2027-12-01T00:00:00.000Z',
          leaseDays: 14,
        },
      ],
    ]);
  });

  it('only operators create, amend and revoke licences', async () => {
    await as(manager).post(`/venues/${venueId}/licences`, terms()).expect(403);
    await as(manager).patch(`/licences/${mine.licenceId}`, { leaseDays: 3 }).expect(403);
    await as(manager).post(`/licences/${mine.licenceId}/revoke`, { reason: 'no' }).expect(403);
  });

  it("another business's manager gets 404 for the licence and the venue's licences", async () => {
    await as(foreignManager).get(`/licences/${mine.licenceId}`).expect(404);
    await as(foreignManager).get(`/venues/${venueId}/licences`).expect(404);
  });

  it('refuses bad terms with what to do, and a refused request changes nothing', async () => {
    const before = (await as(operator).get(`/venues/${venueId}/licences`).expect(200)).body;
    const auditBefore = (await as(operator).get('/audit?limit=200').expect(200)).body;
    const cases: [object, string, string][] = [
      [{ validUntil: '2026-12-01T00:00:00Z' }, 'validUntil', 'validUntil must be after validFrom'],
      [{ leaseDays: 0 }, 'leaseDays', 'leaseDays must be a whole number of days from 1 to 90'],
      [{ leaseDays: 91 }, 'leaseDays', 'leaseDays must be a whole number of days from 1 to 90'],
      [{ tier: 'platinum' }, 'tier', 'tier must be one of full, preview'],
      [{ zoneIds: [theirs.zoneId] }, 'zoneIds', `are not zones of venue ${venueId}`],
      [{ validFrom: 'tomorrow' }, 'validFrom', 'validFrom must be an ISO 8601 instant'],
    ];
    for (const [override, field, problem] of cases) {
      const res = await as(operator).post(`/venues/${venueId}/licences`, terms(override)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = res.body.details.fields as { field: string; problems: string[] }[];
      expect(fields.find((f) => f.field === field)?.problems.join(' ')).toContain(problem);
    }
    await as(operator).patch(`/licences/${mine.licenceId}`, { validUntil: '2020-01-01T00:00:00Z' }).expect(400);
    expect((await as(operator).get(`/venues/${venueId}/licences`).expect(200)).body).toEqual(before);
    expect((await as(operator).get('/audit?limit=200').expect(200)).body).toEqual(auditBefore);
  });

  it('an amendment is a new version, audited with the previous terms', async () => {
    const id = (
      await as(operator)
        .post(`/venues/${venueId}/licences`, terms({ zoneIds: [terrace] }))
        .expect(201)
    ).body.id as string;
    clock.set('2026-11-25T08:00:00.000Z');
    const amended = await as(operator).patch(`/licences/${id}`, { tier: 'preview', leaseDays: 30 }).expect(200);
    expect(amended.body).toMatchObject({ version: 2, tier: 'preview', leaseDays: 30, zoneIds: [terrace] });
    expect(amended.body.updatedAt).toBe('2026-11-25T08:00:00.000Z');
    const audit = await auditOf(id);
    expect(audit.items[0]).toMatchObject({
      action: 'licence.amend',
      before: { version: 1, tier: 'full', leaseDays: 14, zoneIds: [terrace] },
      after: { version: 2, tier: 'preview', leaseDays: 30, zoneIds: [terrace] },
    });
  });

  it('effectiveLicence: in force from validFrom (inclusive) until validUntil (exclusive), not after revoke', async () => {
    const service = hub.app.get(LicencesService);
    const other = (
      await as(operator).post('/venues', { organisationId: mine.businessId, name: 'Quiet Cafe', timeZone: 'UTC' })
    ).body.id as string;
    const zone = (await as(operator).post(`/venues/${other}/zones`, { name: 'Room' }).expect(201)).body.id as string;
    const uncovered = (await as(operator).post(`/venues/${other}/zones`, { name: 'Cellar' }).expect(201)).body
      .id as string;
    const id = (
      await as(operator)
        .post(`/venues/${other}/licences`, terms({ zoneIds: [zone], tier: 'preview', leaseDays: 5 }))
        .expect(201)
    ).body.id as string;
    const expected = {
      licenceId: id,
      version: 1,
      venueId: other,
      tier: 'preview',
      validFrom: new Date('2026-12-01T00:00:00.000Z'),
      validUntil: new Date('2027-12-01T00:00:00.000Z'),
      leaseDays: 5,
    };
    expect(await service.effectiveLicence(zone, new Date('2026-11-30T23:59:59.999Z'))).toBeNull();
    expect(await service.effectiveLicence(zone, new Date('2026-12-01T00:00:00.000Z'))).toEqual(expected);
    expect(await service.effectiveLicence(zone, new Date('2027-11-30T23:59:59.999Z'))).toEqual(expected);
    expect(await service.effectiveLicence(zone, new Date('2027-12-01T00:00:00.000Z'))).toBeNull();
    expect(await service.effectiveLicence(uncovered, new Date('2027-01-01T00:00:00.000Z'))).toBeNull();
    clock.set('2027-03-01T12:00:00.000Z');
    expect(await service.effectiveLicence(zone)).toEqual(expected);
    const revoked = await as(operator).post(`/licences/${id}/revoke`, { reason: 'venue closed' }).expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: '2027-03-01T12:00:00.000Z' });
    expect(await service.effectiveLicence(zone)).toBeNull();
    expect(await service.effectiveLicence(zone, new Date('2027-03-01T11:59:59.999Z'))).toEqual(expected);
    await as(operator).post(`/licences/${id}/revoke`, { reason: 'again' }).expect(409);
    await as(operator).patch(`/licences/${id}`, { leaseDays: 9 }).expect(409);
    expect((await auditOf(id)).items.map((i) => [i.action, i.after])).toEqual([
      ['licence.revoke', { revokedAt: '2027-03-01T12:00:00.000Z', reason: 'venue closed' }],
      ['licence.create', expect.objectContaining({ tier: 'preview', leaseDays: 5 })],
    ]);
  });
});
