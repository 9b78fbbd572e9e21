import { QueryFailedError } from 'typeorm';
import { FixedClock, Clock } from '../../../hub/src/common/time/clock';
import { IdGenerator, UuidV7Generator } from '../../../hub/src/common/ids/id-generator';
import {
  MembershipsRepository,
  OrganisationsRepository,
  UsersRepository,
  VenuesRepository,
  ZonesRepository,
} from '../../../hub/src/tenancy';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';

const T0 = '2026-03-29T00:59:59.123Z';

describe.each(databaseKinds())('core tenant repositories on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  const clock = new FixedClock(T0);

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      customise: (b) =>
        b.overrideProvider(Clock).useValue(clock).overrideProvider(IdGenerator).useValue(new UuidV7Generator(clock)),
    });
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('instants come from the injected Clock and read back as the same UTC Date; ids are uuid v7 of that time', async () => {
    const orgs = hub.app.get(OrganisationsRepository);
    const created = await orgs.create({ kind: 'business', name: 'Clock Co' });
    const read = await orgs.findById(created.id);
    expect(read?.createdAt).toEqual(new Date(T0));
    expect(read?.createdAt.toISOString()).toBe(T0);
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(parseInt(created.id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(T0));

    clock.advance(60_000);
    await orgs.update(created.id, { name: 'Clock Co Ltd' });
    const updated = await orgs.findById(created.id);
    expect(updated?.updatedAt.toISOString()).toBe('2026-03-29T01:00:59.123Z');
    expect(updated?.createdAt.toISOString()).toBe(T0);
  });

  it('e-mail addresses are unique case-insensitively and found whatever their case', async () => {
    const users = hub.app.get(UsersRepository);
    const user = await users.create({ email: '  Ada@Example.COM ', displayName: 'Ada', passwordHash: 'x' });
    expect(user.email).toBe('ada@example.com');
    expect(user.isOperator).toBe(false);
    expect((await users.findByEmail('ADA@example.com'))?.id).toBe(user.id);
    await expect(users.create({ email: 'ada@EXAMPLE.com', displayName: 'Other', passwordHash: 'y' })).rejects.toThrow(
      QueryFailedError,
    );
  });

  it('venues keep their zone, opening hours and group; zones list per venue; deleting a venue deletes its zones', async () => {
    const orgs = hub.app.get(OrganisationsRepository);
    const venues = hub.app.get(VenuesRepository);
    const zones = hub.app.get(ZonesRepository);
    const business = await orgs.create({ kind: 'business', name: 'Venue Co' });
    const group = await venues.createGroup(business.id, 'North');
    const venue = await venues.create({
      organisationId: business.id,
      venueGroupId: group.id,
      name: 'Berlin Mitte',
      timeZone: 'Europe/Berlin',
      openingHours: [{ weekday: 1, opens: '08:00', closes: '22:00' }],
    });
    await zones.create(venue.id, 'Bar');
    await zones.create(venue.id, 'Lounge');
    const read = await venues.findById(venue.id);
    expect(read).toMatchObject({
      timeZone: 'Europe/Berlin',
      venueGroupId: group.id,
      address: null,
      openingHours: [{ weekday: 1, opens: '08:00', closes: '22:00' }],
    });
    expect((await zones.listForVenue(venue.id)).map((z) => z.name)).toEqual(['Bar', 'Lounge']);
    expect((await venues.listForOrganisations([business.id])).map((v) => v.id)).toEqual([venue.id]);
    expect(await venues.listForOrganisations([])).toEqual([]);

    await venues.deleteGroup(group.id);
    expect((await venues.findById(venue.id))?.venueGroupId).toBeNull();
    await venues.delete(venue.id);
    expect(await zones.listForVenue(venue.id)).toEqual([]);
  });

  it('a zone name is unique within its venue', async () => {
    const orgs = hub.app.get(OrganisationsRepository);
    const venues = hub.app.get(VenuesRepository);
    const zones = hub.app.get(ZonesRepository);
    const business = await orgs.create({ kind: 'business', name: 'Dup Co' });
    const venue = await venues.create({ organisationId: business.id, name: 'One', timeZone: 'Europe/London' });
    await zones.create(venue.id, 'Main');
    await expect(zones.create(venue.id, 'Main')).rejects.toThrow(QueryFailedError);
  });

  it('memberships: one role per user and organisation, removed with the organisation', async () => {
    const orgs = hub.app.get(OrganisationsRepository);
    const users = hub.app.get(UsersRepository);
    const memberships = hub.app.get(MembershipsRepository);
    const label = await orgs.create({ kind: 'label', name: 'Label Co' });
    const user = await users.create({ email: 'owner@label.test', displayName: 'Owner', passwordHash: 'x' });
    await memberships.add(user.id, label.id, 'rights_owner');
    await expect(memberships.add(user.id, label.id, 'rights_owner')).rejects.toThrow(QueryFailedError);
    expect((await memberships.forUser(user.id)).map((m) => [m.organisationId, m.role])).toEqual([
      [label.id, 'rights_owner'],
    ]);
    await orgs.delete(label.id);
    expect(await memberships.forUser(user.id)).toEqual([]);
  });
});
