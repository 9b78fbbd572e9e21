import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Track } from '../../../hub/src/catalog/entities/track.entity';
import { DEMO_TRACKS, generateDemoMaster } from '../../../hub/src/catalog/media';
import { RenditionFacts } from '../../../hub/src/catalog/rendition-facts';
import { MediaStore } from '../../../hub/src/catalog/storage/media-store';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { requireTool } from '../../support/require-tool';
import { cheapHasher, createTenant, signIn } from '../authz/support/fixtures';
import { upload, waitForIngest } from '../catalog/support';

jest.setTimeout(120_000);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each(databaseKinds())('rendition facts of ready tracks (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let work: string;
  let trackId: string;

  const boot = () =>
    startTestHub(db, { customise: (builder) => builder.overrideProvider(PasswordHasher).useValue(cheapHasher) });
  const row = (h: TestHub) => h.app.get(DataSource).getRepository(Track).findOneByOrFail({ id: trackId });
  const forget = (h: TestHub) =>
    h.app
      .get(DataSource)
      .getRepository(Track)
      .update({ id: trackId }, { deliverySizeBytes: null, deliverySha256: null, previewSizeBytes: null });

  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-facts-'));
    db = await freshDatabase(kind);
    hub = await boot();
    const tenant = await createTenant(hub.app, 'Alpha');
    const owner = await signIn(hub.app, tenant.users.rights_owner.email);
    const file = path.join(work, 'master.flac');
    await generateDemoMaster({ ...DEMO_TRACKS[1], seconds: 6 }, file, 'flac');
    const response = await upload(hub.app, owner, await readFile(file), { contentType: 'audio/flac' }).expect(201);
    trackId = response.body.track.id as string;
    expect((await waitForIngest(hub.app, owner, trackId)).state).toBe('ready');
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  async function expectedFacts(h: TestHub) {
    const store = h.app.get(MediaStore);
    const delivery = await readFile(store.deliveryPath(trackId));
    const preview = await readFile(store.previewPath(trackId));
    return { deliverySizeBytes: delivery.length, deliverySha256: sha256(delivery), previewSizeBytes: preview.length };
  }

  test('ingest records the delivery size and SHA-256, the preview size and rendition version 1', async () => {
    const track = await row(hub);
    expect(track).toMatchObject({ status: 'ready', renditionVersion: 1, ...(await expectedFacts(hub)) });
    expect(track.deliverySizeBytes).toBeGreaterThan(10_000);
  });

  test('RenditionFacts.ensure measures and stores the facts of a ready track that lacks them', async () => {
    await forget(hub);
    const before = await row(hub);
    expect(before.deliverySha256).toBeNull();
    const ensured = await hub.app.get(RenditionFacts).ensure(before);
    const expected = await expectedFacts(hub);
    expect(ensured).toMatchObject(expected);
    expect(await row(hub)).toMatchObject({ ...expected, renditionVersion: 1 });
  });

  test('a hub booting with ready tracks lacking facts fills them in the background', async () => {
    await forget(hub);
    await hub.close();
    hub = await boot();
    await hub.app.get(RenditionFacts).whenBackfilled();
    expect(await row(hub)).toMatchObject(await expectedFacts(hub));
  });

  test('ensure refuses a track that is not ready (it has no renditions to measure)', async () => {
    const track = { ...(await row(hub)), status: 'ingesting', deliverySha256: null } as Track;
    await expect(hub.app.get(RenditionFacts).ensure(track)).rejects.toThrow(/ingesting: it has no renditions yet/);
  });
});
