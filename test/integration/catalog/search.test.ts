import type { TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Track, type TrackStatus } from '../../../hub/src/catalog/entities/track.entity';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import {
  cheapHasher,
  createTenant,
  createUser,
  signIn,
  type BrowserSession,
  type TenantFixture,
} from '../authz/support/fixtures';
import { get } from './support';

interface Seed {
  title: string;
  artist: string;
  album?: string;
  genre: string;
  mood: string;
  bpm: number;
  seconds: number;
  explicit?: boolean;
  status?: TrackStatus;
  owner: 'a' | 'b';
}

const SEEDS: Seed[] = [
  {
    title: 'Morning Glass',
    artist: 'Tessellate',
    album: 'Lobby Hours',
    genre: 'Ambient',
    mood: 'calm',
    bpm: 72,
    seconds: 200,
    owner: 'a',
  },
  {
    title: 'Counter Service',
    artist: 'Tessellate',
    album: 'Lobby Hours',
    genre: 'Lounge',
    mood: 'warm',
    bpm: 96,
    seconds: 180,
    owner: 'a',
  },
  {
    title: 'Escalator Up',
    artist: 'The Floor Plans',
    genre: 'Jazz',
    mood: 'upbeat',
    bpm: 120,
    seconds: 240,
    owner: 'a',
    explicit: true,
  },
  {
    title: 'Glass Elevator',
    artist: 'Night Shift',
    genre: 'Electronic',
    mood: 'mellow',
    bpm: 124,
    seconds: 300,
    owner: 'b',
  },
  {
    title: 'Unfinished Glasswork',
    artist: 'Night Shift',
    genre: 'Electronic',
    mood: 'dark',
    bpm: 128,
    seconds: 260,
    owner: 'b',
    status: 'ingesting',
  },
  {
    title: 'Waiting Room Waltz',
    artist: 'The Floor Plans',
    genre: 'Classical',
    mood: 'gentle',
    bpm: 84,
    seconds: 150,
    owner: 'a',
    status: 'failed',
  },
];

describe.each(databaseKinds())('catalogue search (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let a: TenantFixture;
  let b: TenantFixture;
  let operator: BrowserSession;
  let ownerA: BrowserSession;
  let managerA: BrowserSession;
  const ids = new Map<string, string>();

  const titles = async (session: BrowserSession, query: string) => {
    const response = await get(hub.app, session, `/tracks?${query}`).expect(200);
    return (response.body.items as { title: string }[]).map((t) => t.title);
  };

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      customise: (builder: TestingModuleBuilder) => builder.overrideProvider(PasswordHasher).useValue(cheapHasher),
    });
    a = await createTenant(hub.app, 'Alpha');
    b = await createTenant(hub.app, 'Beta');
    const op = await createUser(hub.app, 'operator@hub.test', true);
    operator = await signIn(hub.app, op.email);
    ownerA = await signIn(hub.app, a.users.rights_owner.email);
    managerA = await signIn(hub.app, a.users.venue_manager.email);
    const repo = hub.app.get(DataSource).getRepository(Track);
    let n = 0;
    for (const seed of SEEDS) {
      n += 1;
      const id = `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`;
      ids.set(seed.title, id);
      const at = new Date(Date.UTC(2026, 0, n));
      await repo.insert({
        id,
        ownerOrganisationId: seed.owner === 'a' ? a.labelId : b.labelId,
        status: seed.status ?? 'ready',
        contentSha256: String(n).padStart(64, '0'),
        title: seed.title,
        artist: seed.artist,
        album: seed.album ?? null,
        label: seed.owner === 'a' ? 'Alpha Records' : 'Beta Records',
        year: 2026,
        isrc: null,
        genre: seed.genre,
        mood: seed.mood,
        bpm: seed.bpm,
        explicit: seed.explicit ?? false,
        durationMs: seed.seconds * 1000,
        masterFormat: 'flac',
        masterSizeBytes: 1000,
        masterBitrate: 900_000,
        originalFilename: null,
        loudnessLufs: null,
        truePeakDbtp: null,
        loudnessRangeLu: null,
        cueInMs: null,
        cueOutMs: null,
        deliveryKbps: null,
        previewGainDb: null,
        uploadedByUserId: null,
        createdAt: at,
        updatedAt: at,
      });
    }
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  describe('who sees what', () => {
    test('an operator sees every track in every state', async () => {
      const response = await get(hub.app, operator, '/tracks?limit=100').expect(200);
      expect(response.body.total).toBe(6);
    });

    test("a rights owner sees all of their label's tracks (any state) and the other label's ready ones not at all", async () => {
      expect(await titles(ownerA, 'limit=100')).toEqual([
        'Counter Service',
        'Escalator Up',
        'Morning Glass',
        'Waiting Room Waltz',
      ]);
    });

    test('a venue manager sees the ready catalogue of every label, nothing ingesting or failed', async () => {
      expect(await titles(managerA, 'limit=100')).toEqual([
        'Counter Service',
        'Escalator Up',
        'Glass Elevator',
        'Morning Glass',
      ]);
    });

    test('a venue manager opens a ready track of another label but not one still ingesting (404)', async () => {
      await get(hub.app, managerA, `/tracks/${ids.get('Glass Elevator')}`).expect(200);
      await get(hub.app, managerA, `/tracks/${ids.get('Unfinished Glasswork')}`).expect(404);
    });

    test("a rights owner cannot open another label's track, even a ready one (404)", async () => {
      await get(hub.app, ownerA, `/tracks/${ids.get('Glass Elevator')}`).expect(404);
    });
  });

  describe('full text', () => {
    test('a word prefix matches titles across labels, ranked, within what the caller sees', async () => {
      expect((await titles(operator, 'q=glass&sort=title')).sort()).toEqual([
        'Glass Elevator',
        'Morning Glass',
        'Unfinished Glasswork',
      ]);
      expect(await titles(managerA, 'q=glass&sort=title')).toEqual(['Glass Elevator', 'Morning Glass']);
    });

    test('artist, album, label, genre and mood are searched too; every word must match', async () => {
      expect(await titles(operator, 'q=tessellate')).toHaveLength(2);
      expect(await titles(operator, 'q=lobby%20counter')).toEqual(['Counter Service']);
      expect(await titles(operator, 'q=beta%20records&sort=title')).toEqual(['Glass Elevator', 'Unfinished Glasswork']);
      expect(await titles(operator, 'q=jazz')).toEqual(['Escalator Up']);
      expect(await titles(operator, 'q=mellow')).toEqual(['Glass Elevator']);
      expect(await titles(operator, 'q=nothing%20like%20this')).toEqual([]);
    });

    test('query syntax characters are treated as plain words, never as FTS or tsquery operators', async () => {
      expect(await titles(operator, `q=${encodeURIComponent('glass" * :* & !( )(')}&sort=title`)).toEqual([
        'Glass Elevator',
        'Morning Glass',
        'Unfinished Glasswork',
      ]);
    });

    test('the index follows edits: after a PATCH the new title is found and the old one is not', async () => {
      await request(hub.app.getHttpServer())
        .patch(`/tracks/${ids.get('Counter Service')}`)
        .set('Cookie', ownerA.cookie)
        .set('X-CSRF-Token', ownerA.csrfToken)
        .send({ title: 'Checkout Serenade' })
        .expect(200);
      expect(await titles(operator, 'q=serenade')).toEqual(['Checkout Serenade']);
      expect(await titles(operator, 'q=counter')).toEqual([]);
    });
  });

  describe('filters, sorting, paging', () => {
    test('genre and mood match case-insensitively', async () => {
      expect(await titles(operator, 'genre=electronic&sort=title')).toEqual(['Glass Elevator', 'Unfinished Glasswork']);
      expect(await titles(operator, 'mood=CALM')).toEqual(['Morning Glass']);
    });

    test('BPM range is inclusive at both ends', async () => {
      expect(await titles(operator, 'bpmMin=96&bpmMax=124&sort=bpm')).toEqual([
        'Checkout Serenade',
        'Escalator Up',
        'Glass Elevator',
      ]);
    });

    test('duration range in seconds, explicit flag and owner', async () => {
      expect(await titles(operator, 'durationMin=200&durationMax=260&sort=duration')).toEqual([
        'Morning Glass',
        'Escalator Up',
        'Unfinished Glasswork',
      ]);
      expect(await titles(operator, 'explicit=true')).toEqual(['Escalator Up']);
      expect(await titles(operator, `owner=${b.labelId}&sort=title`)).toEqual([
        'Glass Elevator',
        'Unfinished Glasswork',
      ]);
    });

    test('sorting by creation descending, then paging with limit and offset', async () => {
      const page1 = await get(hub.app, operator, '/tracks?sort=created&order=desc&limit=2').expect(200);
      const page2 = await get(hub.app, operator, '/tracks?sort=created&order=desc&limit=2&offset=2').expect(200);
      expect(page1.body).toMatchObject({ total: 6, limit: 2, offset: 0 });
      const titlesOf = (body: { items: { title: string }[] }) => body.items.map((t) => t.title);
      expect(titlesOf(page1.body)).toEqual(['Waiting Room Waltz', 'Unfinished Glasswork']);
      expect(titlesOf(page2.body)).toEqual(['Glass Elevator', 'Escalator Up']);
    });

    test('a bad filter is refused naming the field', async () => {
      const response = await get(hub.app, operator, '/tracks?limit=1000&sort=loudest').expect(400);
      const { fields } = (response.body as { details: { fields: { field: string }[] } }).details;
      expect(fields.map((f) => f.field).sort()).toEqual(['limit', 'sort']);
    });
  });
});
