import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import request from 'supertest';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { DEMO_TRACKS, generateDemoMaster, measureLoudness, runFfmpeg } from '../../../hub/src/catalog/media';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { requireTool } from '../../support/require-tool';
import { cheapHasher, createTenant, signIn, type BrowserSession, type TenantFixture } from '../authz/support/fixtures';
import { filesUnder, get, upload, waitForIngest } from './support';

jest.setTimeout(120_000);

describe.each(databaseKinds())('catalogue upload and ingest over HTTP (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let work: string;
  let a: TenantFixture;
  let b: TenantFixture;
  let ownerA: BrowserSession;
  let ownerB: BrowserSession;
  let managerB: BrowserSession;
  let mp3: Buffer;
  let trackId: string;

  const media = () => path.join(hub.config.dataDir, 'media');
  const trackCount = async () =>
    Number((await hub.app.get(DataSource).query('SELECT count(*) AS n FROM tracks'))[0].n as string);

  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-upload-'));
    db = await freshDatabase(kind);
    hub = await startTestHub(db, {
      env: { ROOMTONE_MAX_UPLOAD_MB: '2' },
      customise: (builder) => builder.overrideProvider(PasswordHasher).useValue(cheapHasher),
    });
    a = await createTenant(hub.app, 'Alpha');
    b = await createTenant(hub.app, 'Beta');
    ownerA = await signIn(hub.app, a.users.rights_owner.email);
    ownerB = await signIn(hub.app, b.users.rights_owner.email);
    managerB = await signIn(hub.app, b.users.venue_manager.email);
    const file = path.join(work, 'master.mp3');
    await generateDemoMaster({ ...DEMO_TRACKS[2], seconds: 8 }, file, 'mp3', 256);
    mp3 = await readFile(file);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  test('a rights owner uploads an MP3: 201, job queued, then ready with loudness, cues and renditions', async () => {
    const response = await upload(hub.app, ownerA, mp3, { query: { filename: 'escalator-up.mp3' } }).expect(201);
    expect(response.body).toMatchObject({
      duplicate: false,
      warnings: [],
      job: { state: 'queued', progress: 0 },
      track: {
        status: 'ingesting',
        ownerOrganisationId: a.labelId,
        title: 'Escalator Up',
        artist: 'The Floor Plans',
        album: 'Going Up',
        label: 'Roomtone Demo Records',
        year: 2025,
        isrc: 'GBRTD2500003',
        genre: 'Jazz',
        mood: 'upbeat',
        bpm: 120,
        masterFormat: 'mp3',
      },
    });
    trackId = response.body.track.id as string;
    const job = await waitForIngest(hub.app, ownerA, trackId);
    expect(job).toMatchObject({ state: 'ready', progress: 100, failureReason: null, attempts: 1 });
    const track = (await get(hub.app, ownerA, `/tracks/${trackId}`).expect(200)).body;
    expect(track.status).toBe('ready');
    expect(track.deliveryKbps).toBe(256);
    expect(track.cueInMs).toBeGreaterThanOrEqual(450);
    expect(track.cueInMs).toBeLessThanOrEqual(600);
    expect(Math.abs(track.durationMs - 9500)).toBeLessThan(60);
    expect(track.loudnessLufs).toBeLessThan(-10);
    expect(track.truePeakDbtp).toBeLessThan(0);
    expect(track.previewUrl).toBe(`/tracks/${trackId}/preview`);
    const dir = path.join(media(), 'tracks', trackId);
    expect((await filesUnder(dir)).sort()).toEqual(['delivery.mp3', 'master.mp3', 'preview.mp3']);
    expect((await readFile(path.join(dir, 'delivery.mp3'))).equals(mp3)).toBe(true);
    const preview = await parseFile(path.join(dir, 'preview.mp3'));
    expect(preview.format).toMatchObject({ sampleRate: 22050, numberOfChannels: 1, bitrate: 48000 });
    expect(Math.abs((await measureLoudness(path.join(dir, 'preview.mp3'))).integratedLufs + 16)).toBeLessThanOrEqual(1);
  });

  test('the same bytes uploaded again return the existing track (200, duplicate) and store nothing new', async () => {
    const before = await filesUnder(media());
    const response = await upload(hub.app, ownerA, mp3, { query: { filename: 'renamed copy.mp3' } }).expect(200);
    expect(response.body).toMatchObject({ duplicate: true, track: { id: trackId }, job: { state: 'ready' } });
    expect(await filesUnder(media())).toEqual(before);
    expect(await trackCount()).toBe(1);
  });

  describe('bad uploads are refused clearly and leave no row and no file', () => {
    let before: string[];
    beforeEach(async () => {
      before = await filesUnder(media());
    });
    afterEach(async () => {
      expect(await trackCount()).toBe(1);
      expect(await filesUnder(media())).toEqual(before);
    });

    test("a rights owner uploading into another label's catalogue: 404, as if the label did not exist", async () => {
      const response = await upload(hub.app, ownerB, mp3, { query: { organisationId: a.labelId } }).expect(404);
      expect(JSON.stringify(response.body)).not.toMatch(/Alpha/);
    });

    test('a venue manager cannot upload masters at all: 403', async () => {
      await upload(hub.app, managerB, mp3).expect(403);
    });

    test('a 0-byte file: 422 MEDIA_INVALID, problem EMPTY_FILE', async () => {
      const response = await upload(hub.app, ownerA, Buffer.alloc(0)).expect(422);
      expect(response.body).toMatchObject({ code: 'MEDIA_INVALID', details: { problem: 'EMPTY_FILE' } });
      expect(response.body.message).toMatch(/empty \(0 bytes\)/);
    });

    test('a text file renamed .mp3: 415 UNSUPPORTED_MEDIA_TYPE, problem NOT_AUDIO', async () => {
      const text = Buffer.from('Opening hours: Mon-Fri 9-18\n'.repeat(100));
      const response = await upload(hub.app, ownerA, text, { query: { filename: 'hours.mp3' } }).expect(415);
      expect(response.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { problem: 'NOT_AUDIO' } });
      expect(response.body.message).toMatch(/not audio/);
    });

    test('a corrupt MP3 (random bytes over its frames): 422, problem CORRUPT', async () => {
      const corrupt = Buffer.from(mp3);
      for (let i = 40_000; i < 120_000; i++) corrupt[i] = (i * 7919) % 251;
      const response = await upload(hub.app, ownerA, corrupt).expect(422);
      expect(response.body).toMatchObject({ code: 'MEDIA_INVALID', details: { problem: 'CORRUPT' } });
      expect(response.body.message).toMatch(/damaged/);
    });

    test('a truncated MP3 (first 30%): 422, problem TRUNCATED', async () => {
      const response = await upload(hub.app, ownerA, mp3.subarray(0, Math.floor(mp3.length * 0.3))).expect(422);
      expect(response.body).toMatchObject({ code: 'MEDIA_INVALID', details: { problem: 'TRUNCATED' } });
    });

    test('over the 2 MB limit (ROOMTONE_MAX_UPLOAD_MB=2): 413 PAYLOAD_TOO_LARGE', async () => {
      const response = await upload(hub.app, ownerA, Buffer.alloc(2 * 1024 * 1024 + 1, 1)).expect(413);
      expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { problem: 'TOO_LARGE' } });
      expect(response.body.message).toMatch(/2 MB limit/);
    });

    test('a multipart form instead of the raw file: 415 naming the content types to use', async () => {
      const response = await upload(hub.app, ownerA, mp3, { contentType: 'multipart/form-data; boundary=x' }).expect(
        415,
      );
      expect(response.body.message).toMatch(/audio\/mpeg, audio\/flac or audio\/wav/);
    });
  });

  describe('editing metadata', () => {
    const patch = (session: BrowserSession, body: object) =>
      request(hub.app.getHttpServer())
        .patch(`/tracks/${trackId}`)
        .set('Cookie', session.cookie)
        .set('X-CSRF-Token', session.csrfToken)
        .send(body);

    test('the owner sets genre, mood, BPM, explicit and a hyphenated ISRC (stored as 12 characters)', async () => {
      const response = await patch(ownerA, {
        genre: 'Bossa Nova',
        mood: 'bright',
        bpm: 118,
        explicit: true,
        isrc: 'us-s1z-99-00001',
      }).expect(200);
      expect(response.body).toMatchObject({
        genre: 'Bossa Nova',
        mood: 'bright',
        bpm: 118,
        explicit: true,
        isrc: 'USS1Z9900001',
      });
      const audit: { action: string; actor_email: string; after: string }[] = await hub.app
        .get(DataSource)
        .query(
          `SELECT action, actor_email, after FROM audit_entries WHERE entity_id = '${trackId}' ORDER BY occurred_at`,
        );
      expect(audit.map((e) => [e.action, e.actor_email])).toEqual([
        ['track.upload', a.users.rights_owner.email],
        ['track.update', a.users.rights_owner.email],
      ]);
      expect(JSON.parse(audit[1].after)).toEqual({
        genre: 'Bossa Nova',
        mood: 'bright',
        bpm: 118,
        explicit: true,
        isrc: 'USS1Z9900001',
      });
    });

    test('a malformed ISRC is refused with the expected shape', async () => {
      const response = await patch(ownerA, { isrc: 'GB-12-34' }).expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'isrc' }] } });
      expect(JSON.stringify(response.body)).toMatch(/CC-XXX-YY-NNNNN/);
    });

    test("another label's rights owner gets 404; a venue manager gets 403", async () => {
      await patch(ownerB, { title: 'Stolen' }).expect(404);
      await patch(managerB, { title: 'Stolen' }).expect(403);
      expect((await get(hub.app, ownerA, `/tracks/${trackId}`)).body.title).toBe('Escalator Up');
    });
  });

  describe('preview audition with HTTP Range', () => {
    test('a venue manager of another business auditions the ready track: 200 with the whole MP3', async () => {
      const response = await get(hub.app, managerB, `/tracks/${trackId}/preview`).buffer(true).expect(200);
      const file = await readFile(path.join(media(), 'tracks', trackId, 'preview.mp3'));
      expect(response.headers['content-type']).toBe('audio/mpeg');
      expect(response.headers['accept-ranges']).toBe('bytes');
      expect(Buffer.compare(response.body as Buffer, file)).toBe(0);
    });

    test('Range bytes=100-1099: 206, Content-Range, exactly those bytes', async () => {
      const file = await readFile(path.join(media(), 'tracks', trackId, 'preview.mp3'));
      const response = await get(hub.app, managerB, `/tracks/${trackId}/preview`)
        .set('Range', 'bytes=100-1099')
        .buffer(true)
        .expect(206);
      expect(response.headers['content-range']).toBe(`bytes 100-1099/${file.length}`);
      expect(response.headers['content-length']).toBe('1000');
      expect(Buffer.compare(response.body as Buffer, file.subarray(100, 1100))).toBe(0);
    });

    test('a range past the end: 416 with Content-Range bytes */size', async () => {
      const file = await readFile(path.join(media(), 'tracks', trackId, 'preview.mp3'));
      const response = await get(hub.app, managerB, `/tracks/${trackId}/preview`)
        .set('Range', `bytes=${file.length}-`)
        .expect(416);
      expect(response.headers['content-range']).toBe(`bytes */${file.length}`);
      expect(response.body.code).toBe('RANGE_NOT_SATISFIABLE');
    });

    test('without signing in: 401', async () => {
      await get(hub.app, undefined, `/tracks/${trackId}/preview`).expect(401);
    });
  });
});

// The restart case needs its own hubs: it stops one mid-ingest and starts another on the same data.
describe.each(databaseKinds())('a hub restarted mid-ingest finishes the job (%s)', (kind) => {
  let db: FreshDatabase;
  let work: string;

  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    db = await freshDatabase(kind);
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-restart-'));
  });

  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  test('the job interrupted while running is resumed at boot and ends ready, on its second attempt', async () => {
    const customise = (builder: TestingModuleBuilder) => builder.overrideProvider(PasswordHasher).useValue(cheapHasher);
    const first = await startTestHub(db, { customise });
    const tenant = await createTenant(first.app, 'Gamma');
    let session = await signIn(first.app, tenant.users.rights_owner.email);
    // Long enough (4 min of FLAC) that the job is still running when the hub stops.
    const file = path.join(work, 'long.flac');
    await runFfmpeg([
      '-y',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'sine=f=330:d=240,volume=0.3',
      '-ac',
      '2',
      '-c:a',
      'flac',
      file,
    ]);
    const response = await upload(first.app, session, await readFile(file), { contentType: 'audio/flac' }).expect(201);
    const id = response.body.track.id as string;
    for (;;) {
      const job = (await get(first.app, session, `/tracks/${id}/ingest`).expect(200)).body;
      if (job.state === 'analysing' || job.state === 'transcoding') break;
      expect(job.state).toBe('queued');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await first.close();

    const rows = await (async () => {
      const second = await startTestHub(db, { customise });
      try {
        session = await signIn(second.app, tenant.users.rights_owner.email);
        const job = await waitForIngest(second.app, session, id, 90_000);
        const track = (await get(second.app, session, `/tracks/${id}`).expect(200)).body;
        return { job, track, logs: second.logs };
      } finally {
        await second.close();
      }
    })();
    expect(rows.job).toMatchObject({ state: 'ready', progress: 100, attempts: 2 });
    expect(rows.track).toMatchObject({ status: 'ready', durationMs: 240_000 });
    expect(rows.logs.some((l) => l.msg === 'resuming ingest jobs' && l.count === 1)).toBe(true);
  });
});
