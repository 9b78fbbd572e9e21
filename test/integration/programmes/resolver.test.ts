import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Track } from '../../../hub/src/catalog/entities/track.entity';
import { IdGenerator } from '../../../hub/src/common/ids/id-generator';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { ZoneBlockedTrack } from '../../../hub/src/programmes/entities/zone-blocked-track.entity';
import { ProgrammeResolver, type ZoneProgrammes } from '../../../hub/src/programmes/programme-resolver';
import { Zone } from '../../../hub/src/tenancy/entities';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createTenant, type TenantFixture } from '../authz/support/fixtures';
import { insertTrack, tokenOf } from './support';

describe.each(databaseKinds())('ProgrammeResolver on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let mine: TenantFixture;
  let theirs: TenantFixture;
  let manager: string;
  let foreign: string;
  let resolver: ProgrammeResolver;
  let secondZone: string;
  /** Tracks by letter: titles sort in letter order. */
  const t = {} as Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g', string>;
  const p = {} as Record<'list' | 'shuffled' | 'rules' | 'strict' | 'foreign', string>;
  const clock = new FixedClock('2026-11-24T09:30:00.000Z');

  const api = (token: string) => {
    const agent = request(hub.app.getHttpServer());
    const auth = { Authorization: `Bearer ${token}` };
    return {
      post: (path: string, body: object) => agent.post(path).set(auth).send(body).expect(201),
      patch: (path: string, body: object) => agent.patch(path).set(auth).send(body).expect(200),
      put: (path: string) => agent.put(path).set(auth).expect(200),
    };
  };
  const programme = async (token: string, organisationId: string, body: object): Promise<string> =>
    (await api(token).post(`/organisations/${organisationId}/programmes`, body)).body.id as string;
  const idsOf = (zone: ZoneProgrammes | undefined, programmeId: string) =>
    zone?.programmes.find((doc) => doc.id === programmeId)?.trackIds;

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' },
      customise: (b) =>
        b.overrideProvider(PasswordHasher).useValue(cheapHasher).overrideProvider(Clock).useValue(clock),
    });
    resolver = hub.app.get(ProgrammeResolver);
    mine = await createTenant(hub.app, 'Mine');
    theirs = await createTenant(hub.app, 'Theirs');
    manager = await tokenOf(hub.app, mine.users.venue_manager.email);
    foreign = await tokenOf(hub.app, theirs.users.venue_manager.email);
    const label = mine.labelId;
    t.a = await insertTrack(hub.app, label, { title: 'A', genre: 'Jazz', mood: 'calm', bpm: 100, artist: 'X' });
    t.b = await insertTrack(hub.app, label, { title: 'B', genre: 'jazz', mood: 'calm', bpm: 110, explicit: true });
    t.c = await insertTrack(hub.app, label, { title: 'C', genre: 'Jazz', mood: 'upbeat', bpm: 105 });
    t.d = await insertTrack(hub.app, label, { title: 'D', genre: 'Jazz', mood: 'calm', bpm: 140 });
    t.e = await insertTrack(hub.app, theirs.labelId, { title: 'E', genre: 'Jazz', mood: 'calm', bpm: 100 });
    t.f = await insertTrack(hub.app, label, { title: 'F', genre: 'Rock', mood: 'calm', bpm: 100 });
    t.g = await insertTrack(hub.app, label, { title: 'G', genre: 'Jazz', mood: 'calm', bpm: 101, status: 'ingesting' });
    p.list = await programme(manager, mine.businessId, {
      name: 'List',
      kind: 'ordered',
      trackIds: [t.f, t.b, t.a],
      repeatWindowMinutes: 30,
      artistSeparationMinutes: 10,
      crossfadeMs: 1500,
    });
    p.shuffled = await programme(manager, mine.businessId, { name: 'Shuffled', kind: 'shuffled', trackIds: [t.c] });
    // Jazz, calm, 95-120 BPM, explicit allowed, my label only: a and b (e is another label's, d too fast, g not ready).
    p.rules = await programme(manager, mine.businessId, {
      name: 'Rules',
      kind: 'rules',
      rules: {
        genres: ['JAZZ'],
        moods: ['Calm'],
        bpmMin: 95,
        bpmMax: 120,
        allowExplicit: true,
        ownerOrganisationIds: [label],
      },
    });
    // The programme's own explicit filter (off) and maxTracks: the first non-explicit jazz track by title only.
    p.strict = await programme(manager, mine.businessId, {
      name: 'Strict',
      kind: 'rules',
      rules: { genres: ['jazz'], maxTracks: 1 },
    });
    p.foreign = await programme(foreign, theirs.businessId, { name: 'Theirs', kind: 'ordered', trackIds: [t.a] });
    secondZone = (
      await request(hub.app.getHttpServer())
        .post(`/venues/${mine.venueId}/zones`)
        .set('Authorization', `Bearer ${manager}`)
        .send({ name: 'Terrace' })
        .expect(201)
    ).body.id as string;
    await api(manager).put(`/zones/${secondZone}/blocked-tracks/${t.a}`);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('resolves each filter: ready only, rules, list order, explicit off by default, blocked per zone, unknown programmes', async () => {
    const all = [p.list, p.shuffled, p.rules, p.strict];
    const resolved = await resolver.resolveForZones([
      { zoneId: mine.zoneId, venueId: mine.venueId, programmeIds: [...all, p.foreign, 'no-such-programme'] },
      { zoneId: secondZone, venueId: mine.venueId, programmeIds: all },
      { zoneId: theirs.zoneId, venueId: theirs.venueId, programmeIds: [p.foreign, p.list] },
    ]);
    const bar = resolved.get(mine.zoneId)!;
    // The venue does not allow explicit content: b leaves every programme.
    expect(idsOf(bar, p.list)).toEqual([t.f, t.a]);
    expect(idsOf(bar, p.shuffled)).toEqual([t.c]);
    expect(idsOf(bar, p.rules)).toEqual([t.a]);
    expect(idsOf(bar, p.strict)).toEqual([t.a]);
    expect(bar.unknownProgrammeIds).toEqual([p.foreign, 'no-such-programme']);
    expect(bar.tracks.map((track) => track.id).sort()).toEqual([t.a, t.c, t.f].sort());
    expect(bar.tracks.every((track) => track instanceof Track && track.status === 'ready')).toBe(true);
    expect(bar.programmes.find((doc) => doc.id === p.list)).toEqual({
      id: p.list,
      name: 'List',
      version: 1,
      order: 'ordered',
      repeatWindowMinutes: 30,
      artistSeparationMinutes: 10,
      crossfadeMs: 1500,
      trackIds: [t.f, t.a],
    });
    expect(bar.programmes.map((doc) => [doc.id, doc.order])).toEqual([
      [p.list, 'ordered'],
      [p.shuffled, 'shuffled'],
      [p.rules, 'shuffled'],
      [p.strict, 'shuffled'],
    ]);
    // The terrace blocks a.
    const terrace = resolved.get(secondZone)!;
    expect(idsOf(terrace, p.list)).toEqual([t.f]);
    expect(idsOf(terrace, p.rules)).toEqual([]);
    expect(terrace.tracks.map((track) => track.id).sort()).toEqual([t.c, t.f].sort());
    // Another business's venue may use its own programme only.
    const theirZone = resolved.get(theirs.zoneId)!;
    expect(theirZone.programmes.map((doc) => doc.id)).toEqual([p.foreign]);
    expect(theirZone.unknownProgrammeIds).toEqual([p.list]);
    expect(await resolver.unknownProgrammes(mine.venueId, [p.list, p.foreign, 'nope', p.rules])).toEqual([
      p.foreign,
      'nope',
    ]);
    expect(await resolver.unknownProgrammes('01890000-0000-7000-8000-00000000abcd', [p.list])).toEqual([p.list]);
  });

  it("the venue's explicit switch lets explicit tracks in, within each rules programme's own filter", async () => {
    await api(manager).patch(`/venues/${mine.venueId}`, { allowExplicit: true });
    const bar = (
      await resolver.resolveForZones([
        { zoneId: mine.zoneId, venueId: mine.venueId, programmeIds: [p.list, p.rules, p.strict] },
      ])
    ).get(mine.zoneId)!;
    expect(idsOf(bar, p.list)).toEqual([t.f, t.b, t.a]);
    expect(idsOf(bar, p.rules)).toEqual([t.a, t.b]);
    expect(idsOf(bar, p.strict)).toEqual([t.a]);
    await api(manager).patch(`/venues/${mine.venueId}`, { allowExplicit: false });
  });

  it('a track that stops being ready leaves every programme; a patched programme carries its new version', async () => {
    await hub.app.get(DataSource).getRepository(Track).update({ id: t.f }, { status: 'failed' });
    await api(manager).patch(`/programmes/${p.shuffled}`, { trackIds: [t.c, t.d] });
    const bar = (
      await resolver.resolveForZones([
        { zoneId: mine.zoneId, venueId: mine.venueId, programmeIds: [p.list, p.shuffled] },
      ])
    ).get(mine.zoneId)!;
    expect(idsOf(bar, p.list)).toEqual([t.a]);
    expect(bar.programmes.find((doc) => doc.id === p.shuffled)).toMatchObject({ version: 2, trackIds: [t.c, t.d] });
    await hub.app.get(DataSource).getRepository(Track).update({ id: t.f }, { status: 'ready' });
  });

  it('2,000 zones cost the same queries as one zone, apart from splitting zone ids into IN lists of 500', async () => {
    const ds = hub.app.get(DataSource);
    const ids = hub.app.get(IdGenerator);
    const now = clock.now();
    const zones: Zone[] = [];
    for (let i = 0; i < 2000; i += 1) {
      zones.push(
        Object.assign(new Zone(), {
          id: ids.next(),
          venueId: mine.venueId,
          name: `Zone ${i}`,
          createdAt: now,
          updatedAt: now,
        }),
      );
    }
    for (let i = 0; i < zones.length; i += 200) await ds.getRepository(Zone).insert(zones.slice(i, i + 200));
    // Every tenth zone blocks c.
    const blocked = zones
      .filter((_z, i) => i % 10 === 0)
      .map((z) =>
        Object.assign(new ZoneBlockedTrack(), { zoneId: z.id, trackId: t.c, blockedByUserId: null, createdAt: now }),
      );
    for (let i = 0; i < blocked.length; i += 100)
      await ds.getRepository(ZoneBlockedTrack).insert(blocked.slice(i, i + 100));
    const programmeIds = [p.list, p.shuffled, p.rules, p.strict];

    const extra: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      extra.push(
        await programme(manager, mine.businessId, {
          name: `Extra ${i}`,
          kind: 'rules',
          rules: { bpmMin: 90 + i, moods: ['calm'] },
        }),
      );
    }
    const queries: string[] = [];
    const spy = jest.spyOn(ds.logger, 'logQuery').mockImplementation((query: string) => {
      // Only this feature's reads: the hub's timers (e.g. the appliances' offline sweep) may query other tables.
      if (/programmes|tracks|venues|zone_blocked_tracks/.test(query)) queries.push(query);
    });
    try {
      await resolver.resolveForZones([{ zoneId: zones[1].id, venueId: mine.venueId, programmeIds }]);
      const single = queries.length;
      queries.length = 0;
      const resolved = await resolver.resolveForZones(
        zones.map((z) => ({ zoneId: z.id, venueId: mine.venueId, programmeIds })),
      );
      const many = queries.length;
      // programmes, venues, both rules programmes' matches (one UNION ALL), tracks: one each; blocked tracks: 4 IN
      // lists of 500 instead of 1.
      expect(single).toBe(5);
      expect(many).toBe(single + 3);
      expect(resolved.size).toBe(2000);
      expect(idsOf(resolved.get(zones[0].id), p.shuffled)).toEqual([t.d]);
      expect(idsOf(resolved.get(zones[1].id), p.shuffled)).toEqual([t.c, t.d]);
      expect(idsOf(resolved.get(zones[1990].id), p.shuffled)).toEqual([t.d]);
      // Zones without blocked tracks naming the same programmes share one answer.
      expect(resolved.get(zones[2].id)).toBe(resolved.get(zones[1].id));
      expect(resolved.get(zones[10].id)).not.toBe(resolved.get(zones[1].id));
      // Twelve more rules programmes cost no further query.
      queries.length = 0;
      await resolver.resolveForZones(
        zones.map((z) => ({ zoneId: z.id, venueId: mine.venueId, programmeIds: [...programmeIds, ...extra] })),
      );
      expect(queries.length).toBe(many);
    } finally {
      spy.mockRestore();
    }
  });
});
