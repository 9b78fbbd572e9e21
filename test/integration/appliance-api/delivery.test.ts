import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  decryptToBuffer,
  generateApplianceKeys,
  loadSodium,
  TrackEncryptor,
  type Keystore,
  type Sodium,
  trackRecipientOf,
} from '@roomtone/provisioning';
import { encryptedSize, sendEncryptedRange } from '../../../hub/src/appliance-api/delivery/encrypted-body';
import { ZONE_PLAN_TRACKS } from '../../../hub/src/appliance-api/delivery/zone-plan-tracks';
import { DEMO_TRACKS, generateDemoMaster } from '../../../hub/src/catalog/media';
import { MediaStore } from '../../../hub/src/catalog/storage/media-store';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { ZonesRepository } from '../../../hub/src/tenancy/repositories/zones.repository';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { requireTool } from '../../support/require-tool';
import { deviceClock, signedHeaders, type UserHeaders, startApplianceHub, enrolInZone } from '../appliances/support';
import { createTenant, signIn, type TenantFixture } from '../authz/support/fixtures';
import { upload, waitForIngest } from '../catalog/support';
import { eventually, openDescriptorsOn, TestPlans } from './delivery-support';

jest.setTimeout(180_000);

const START = '2026-11-24T10:00:00.000Z';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(databaseKinds())('appliance track delivery: encrypted downloads and previews (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let base: string;
  let sodium: Sodium;
  let clock: FixedClock;
  let work: string;
  const plans = new TestPlans();
  let alpha: TenantFixture;
  let beta: TenantFixture;
  let operator: UserHeaders;
  /** Alpha (full licence): devA in alpha's zone, devA2 in a second zone. Beta: devB preview-only, devC no licence. */
  let devA: Keystore;
  let devA2: Keystore;
  let devB: Keystore;
  let devC: Keystore;
  let trackId: string;
  let otherTrackId: string;
  let delivery: Buffer;
  let preview: Buffer;

  const trackUrl = (id: string) => `${base}/appliance/v1/tracks/${id}`;
  const get = (device: Keystore, url: string, extra: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(url, { headers: { ...signedHeaders(sodium, deviceClock(clock), device, 'GET', url), ...extra }, signal });
  const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());
  const errorOf = async (response: Response) => JSON.parse(await response.text()) as { code: string; message: string };

  async function licence(user: UserHeaders, venueId: string, json: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${base}/venues/${venueId}/licences`, {
      method: 'POST',
      headers: { ...user, 'content-type': 'application/json' },
      body: JSON.stringify({
        validFrom: '2026-11-01T00:00:00.000Z',
        validUntil: '2027-11-01T00:00:00.000Z',
        leaseDays: 7,
        ...json,
      }),
    });
    if (response.status !== 201) throw new Error(`licence not created: ${response.status} ${await response.text()}`);
  }

  async function ingest(owner: Awaited<ReturnType<typeof signIn>>, seconds: number, spec: number): Promise<string> {
    const file = path.join(work, `master-${spec}.mp3`);
    await generateDemoMaster({ ...DEMO_TRACKS[spec], seconds }, file, 'mp3', 320);
    const response = await upload(hub.app, owner, await readFile(file)).expect(201);
    const id = response.body.track.id as string;
    expect((await waitForIngest(hub.app, owner, id, 90_000)).state).toBe('ready');
    return id;
  }

  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    sodium = await loadSodium();
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-delivery-'));
    db = await freshDatabase(kind);
    clock = new FixedClock(START);
    ({
      hub,
      base,
      tenant: alpha,
      operator,
    } = await startApplianceHub(db, clock, {
      customise: (b) => b.overrideProvider(ZONE_PLAN_TRACKS).useValue(plans),
    }));
    beta = await createTenant(hub.app, 'Beta');
    const zones = hub.app.get(ZonesRepository);
    const alpha2 = await zones.create(alpha.venueId, 'Alpha Terrace');
    const beta2 = await zones.create(beta.venueId, 'Beta Terrace');
    const enrol = async (venueId: string, zoneId: string) =>
      enrolInZone(base, sodium, clock, operator, venueId, zoneId);
    devA = await enrol(alpha.venueId, alpha.zoneId);
    devA2 = await enrol(alpha.venueId, alpha2.id);
    devB = await enrol(beta.venueId, beta.zoneId);
    devC = await enrol(beta.venueId, beta2.id);
    await licence(operator, alpha.venueId, { tier: 'full' });
    await licence(operator, beta.venueId, { tier: 'preview', zoneIds: [beta.zoneId] });

    const owner = await signIn(hub.app, alpha.users.rights_owner.email);
    // 60 s at 320 kbps: a ~2.4 MB delivery file (37 chunks), the master byte for byte.
    trackId = await ingest(owner, 60, 2);
    otherTrackId = await ingest(owner, 4, 3);
    const store = hub.app.get(MediaStore);
    delivery = await readFile(store.deliveryPath(trackId));
    preview = await readFile(store.previewPath(trackId));
    for (const zone of [alpha.zoneId, alpha2.id, beta.zoneId, beta2.id]) plans.zones.set(zone, new Set([trackId]));
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('a full download decrypts with the appliance’s own keys to the delivery file, byte for byte', async () => {
    const response = await get(devA, trackUrl(trackId));
    expect(response.status).toBe(200);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const body = await bytesOf(response);
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    // FORMAT.md: H + L + 16 n, with H = 196 + a + t (36-character ids) and n = ceil(L / 65536).
    expect(body.length).toBe(196 + 36 + 36 + delivery.length + 16 * Math.ceil(delivery.length / 65_536));
    const plain = await decryptToBuffer(sodium, body, trackRecipientOf(devA));
    expect(sha256(plain)).toBe(sha256(delivery));
    expect(plain.equals(delivery)).toBe(true);
  });

  test('the ETag names track, rendition version and key, and is stable; the bytes are identical each time', async () => {
    const first = await get(devA, trackUrl(trackId));
    const second = await get(devA, trackUrl(trackId));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(new RegExp(`^"${trackId}\\.1\\.[A-Za-z0-9_-]{22}"$`));
    expect(second.headers.get('etag')).toBe(etag);
    expect((await bytesOf(first)).equals(await bytesOf(second))).toBe(true);
    const revalidated = await get(devA, trackUrl(trackId), { 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
  });

  test('Range resume: the first 100,000 bytes then `bytes=100000-` concatenate to the full download', async () => {
    const full = await bytesOf(await get(devA, trackUrl(trackId)));
    const head = await get(devA, trackUrl(trackId), { range: 'bytes=0-99999' });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-99999/${full.length}`);
    const first = await bytesOf(head);
    expect(first.length).toBe(100_000);
    const tail = await get(devA, trackUrl(trackId), { range: 'bytes=100000-' });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes 100000-${full.length - 1}/${full.length}`);
    const rest = await bytesOf(tail);
    expect(Number(tail.headers.get('content-length'))).toBe(rest.length);
    const joined = Buffer.concat([first, rest]);
    expect(joined.equals(full)).toBe(true);
    expect((await decryptToBuffer(sodium, joined, trackRecipientOf(devA))).equals(delivery)).toBe(true);
  });

  test('unaligned ranges (inside the header, across chunk boundaries, suffix) equal the same slice of the file', async () => {
    const full = await bytesOf(await get(devA, trackUrl(trackId)));
    const H = 196 + 36 + 36;
    const stride = 65_536 + 16;
    const cases: [string, number, number][] = [
      ['bytes=0-0', 0, 0],
      ['bytes=7-150', 7, 150],
      [`bytes=${H - 3}-${H + 5}`, H - 3, H + 5],
      [`bytes=${H + stride - 10}-${H + 3 * stride + 17}`, H + stride - 10, H + 3 * stride + 17],
      [`bytes=${H + 5 * stride + 1}-${H + 5 * stride + 1}`, H + 5 * stride + 1, H + 5 * stride + 1],
      ['bytes=-1000', full.length - 1000, full.length - 1],
      [`bytes=${full.length - 20}-${full.length + 5000}`, full.length - 20, full.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await get(devA, trackUrl(trackId), { range });
      expect([range, response.status]).toEqual([range, 206]);
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${full.length}`);
      expect((await bytesOf(response)).equals(full.subarray(start, end + 1))).toBe(true);
    }
  });

  test('ranges spanning many chunks and batches equal the file’s slice; a resume at an odd byte decrypts', async () => {
    const full = await bytesOf(await get(devA, trackUrl(trackId)));
    const H = 196 + 36 + 36;
    const stride = 65_536 + 16;
    // The hub reads, seals and writes one chunk, then batches of 8: cross both kinds of boundary, end mid-chunk.
    for (const [start, end] of [
      [H + 2 * stride + 100, H + 33 * stride + 5],
      [0, H + 9 * stride + 7],
      [H + 8 * stride, full.length - 1],
    ]) {
      const response = await get(devA, trackUrl(trackId), { range: `bytes=${start}-${end}` });
      expect(response.status).toBe(206);
      expect((await bytesOf(response)).equals(full.subarray(start, end + 1))).toBe(true);
    }
    const cut = H + 9 * stride + 8;
    const first = await bytesOf(await get(devA, trackUrl(trackId), { range: `bytes=0-${cut - 1}` }));
    const rest = await bytesOf(await get(devA, trackUrl(trackId), { range: `bytes=${cut}-` }));
    expect((await decryptToBuffer(sodium, Buffer.concat([first, rest]), trackRecipientOf(devA))).equals(delivery)).toBe(
      true,
    );
  });

  test('a range starting past the end is 416 with `Content-Range: bytes */size`', async () => {
    const size = Number(
      (await get(devA, trackUrl(trackId), { range: 'bytes=0-0' })).headers.get('content-range')!.split('/')[1],
    );
    const response = await get(devA, trackUrl(trackId), { range: `bytes=${size}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${size}`);
    expect(await errorOf(response)).toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
  });

  test('If-Range: a matching ETag honours the range, a stale one gets the whole current body', async () => {
    const etag = (await get(devA, trackUrl(trackId), { range: 'bytes=0-0' })).headers.get('etag')!;
    const matching = await get(devA, trackUrl(trackId), { range: 'bytes=100-199', 'if-range': etag });
    expect(matching.status).toBe(206);
    expect((await bytesOf(matching)).length).toBe(100);
    const stale = await get(devA, trackUrl(trackId), { range: 'bytes=100-199', 'if-range': `"${trackId}.0.old"` });
    expect(stale.status).toBe(200);
    expect((await decryptToBuffer(sodium, await bytesOf(stale), trackRecipientOf(devA))).equals(delivery)).toBe(true);
  });

  test('another appliance gets different bytes that the first appliance cannot decrypt', async () => {
    const mine = await bytesOf(await get(devA, trackUrl(trackId)));
    const response = await get(devA2, trackUrl(trackId));
    expect(response.status).toBe(200);
    const theirs = await bytesOf(response);
    expect(theirs.equals(mine)).toBe(false);
    expect(response.headers.get('etag')).not.toBe(
      (await get(devA, trackUrl(trackId), { range: 'bytes=0-0' })).headers.get('etag'),
    );
    await expect(decryptToBuffer(sodium, theirs, trackRecipientOf(devA))).rejects.toMatchObject({
      message: expect.stringMatching(/not for this appliance/),
    });
    expect((await decryptToBuffer(sodium, theirs, trackRecipientOf(devA2))).equals(delivery)).toBe(true);
  });

  test('a track outside the zone’s plan is 403 NOT_IN_PLAN, for downloads and previews', async () => {
    for (const url of [trackUrl(otherTrackId), `${trackUrl(otherTrackId)}/preview`]) {
      const response = await get(devA, url);
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({
        code: 'NOT_IN_PLAN',
        message: expect.stringMatching(/not in this zone's current plan; fetch the plan again/),
      });
    }
  });

  test('a preview-only licence: the full track is 403 PREVIEW_ONLY, the preview streams (200, Range)', async () => {
    const full = await get(devB, trackUrl(trackId));
    expect(full.status).toBe(403);
    expect(await errorOf(full)).toMatchObject({
      code: 'PREVIEW_ONLY',
      message: expect.stringMatching(/previews only/),
    });
    const response = await get(devB, `${trackUrl(trackId)}/preview`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(response.headers.get('etag')).toBe(`"${trackId}.1.preview"`);
    expect((await bytesOf(response)).equals(preview)).toBe(true);
    const part = await get(devB, `${trackUrl(trackId)}/preview`, { range: 'bytes=1000-' });
    expect(part.status).toBe(206);
    expect((await bytesOf(part)).equals(preview.subarray(1000))).toBe(true);
  });

  test('a full licence may stream previews too', async () => {
    const response = await get(devA, `${trackUrl(trackId)}/preview`);
    expect(response.status).toBe(200);
    expect((await bytesOf(response)).equals(preview)).toBe(true);
  });

  test('a zone no licence covers gets NO_LICENCE for downloads and previews', async () => {
    for (const url of [trackUrl(trackId), `${trackUrl(trackId)}/preview`]) {
      const response = await get(devC, url);
      expect(response.status).toBe(404);
      expect(await errorOf(response)).toMatchObject({ code: 'NO_LICENCE', message: expect.stringMatching(/licence/) });
    }
  });

  test('a client that aborts mid-download leaves no open file behind, and the next download is whole', async () => {
    const file = hub.app.get(MediaStore).deliveryPath(trackId);
    const controller = new AbortController();
    const response = await get(devA, trackUrl(trackId), {}, controller.signal);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBeGreaterThan(0);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await eventually('the hub closed the rendition file', async () => (await openDescriptorsOn(file)) === 0);
    const again = await bytesOf(await get(devA, trackUrl(trackId)));
    expect((await decryptToBuffer(sodium, again, trackRecipientOf(devA))).equals(delivery)).toBe(true);
    expect(await openDescriptorsOn(file)).toBe(0);
  });

  test('bytes served are counted in /metrics', async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const served = (rendition: string) =>
      Number(
        new RegExp(`roomtone_delivery_bytes_served_total\\{rendition="${rendition}"\\} (\\d+)`).exec(metrics)?.[1],
      );
    expect(served('encrypted')).toBeGreaterThan(10 * delivery.length);
    // Two whole previews and one from byte 1000 were streamed above.
    expect(served('preview')).toBe(3 * preview.length - 1000);
  });

  test('a revoked appliance gets 401 SIGNATURE_KEY_REVOKED and nothing else', async () => {
    const revoked = await fetch(`${base}/appliances/${devA2.applianceId}/revoke`, {
      method: 'POST',
      headers: { ...operator, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'stolen from the terrace' }),
    });
    expect(revoked.status).toBe(200);
    for (const url of [trackUrl(trackId), `${trackUrl(trackId)}/preview`]) {
      const response = await get(devA2, url);
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toMatchObject({ code: 'SIGNATURE_KEY_REVOKED' });
    }
  });

  test('an unsigned request is refused before anything is read', async () => {
    const response = await fetch(trackUrl(trackId));
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: 'SIGNATURE_MISSING' });
  });
});

describe('encrypted body: constant memory with a slow client', () => {
  let work: string;
  let sodium: Sodium;

  beforeAll(async () => {
    sodium = await loadSodium();
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-delivery-body-'));
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** A socket that takes a write only when the test says so: it keeps every callback until released. */
  class SlowSink extends Writable {
    readonly received: Buffer[] = [];
    readonly waiting: (() => void)[] = [];
    held = 0;
    maxHeld = 0;

    override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
      // Copied now: the sender may reuse its buffer once the callback has run.
      this.received.push(Buffer.from(chunk));
      this.held += chunk.length;
      this.maxHeld = Math.max(this.maxHeld, this.held);
      this.waiting.push(() => {
        this.held -= chunk.length;
        callback();
      });
    }
  }

  async function setup(length: number) {
    const keys = generateApplianceKeys(sodium);
    const plain = randomBytes(length);
    const file = path.join(work, `plain-${length}.bin`);
    await writeFile(file, plain);
    const encryptor = new TrackEncryptor(sodium, {
      hubSecret: sodium.randomBytes(32),
      recipientPublicKey: keys.encryption.publicKey,
      applianceId: 'app-slow',
      trackId: 'track-slow',
      renditionVersion: 1,
      plaintextLength: plain.length,
      plaintextSha256: createHash('sha256').update(plain).digest(),
    });
    const recipient = {
      publicKey: keys.encryption.publicKey,
      secretKey: keys.encryption.secretKey,
      applianceId: 'app-slow',
    };
    return { plain, file, encryptor, recipient };
  }

  test('a 20 MB body to a client that takes one write at a time: at most one batch held, bytes decrypt whole', async () => {
    const { plain, file, encryptor, recipient } = await setup(20 * 1024 * 1024 + 12_345);
    const size = encryptedSize(encryptor);
    const sink = new SlowSink();
    let done = false;
    const sent = sendEncryptedRange(encryptor, file, plain.length, { start: 0, end: size - 1 }, sink, () => undefined);
    void sent.then(() => (done = true));
    const batch = 8 * (65_536 + 16);
    let releases = 0;
    let maxQueued = 0;
    while (!done) {
      await eventually('the sender wrote again or finished', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return done || sink.waiting.length > 0;
      });
      // Nothing more is read, sealed or queued while the socket holds what it was given (writableLength counts what
      // the sender handed over and the socket has not taken yet, queued or in _write).
      expect(sink.writableLength).toBeLessThanOrEqual(batch + encryptor.header.headerLength);
      maxQueued = Math.max(maxQueued, sink.writableLength);
      sink.waiting.shift()?.();
      releases += 1;
    }
    await sent;
    expect(sink.maxHeld).toBeLessThanOrEqual(batch + encryptor.header.headerLength);
    expect(maxQueued).toBeGreaterThan(0);
    expect(releases).toBeGreaterThan(size / batch);
    const body = Buffer.concat(sink.received);
    expect(body.length).toBe(size);
    expect((await decryptToBuffer(sodium, body, recipient)).equals(plain)).toBe(true);
  });

  test('a client gone mid-body: the send settles, the file is closed, nothing more is written', async () => {
    const { plain, file, encryptor } = await setup(3 * 1024 * 1024);
    const sink = new SlowSink();
    const sent = sendEncryptedRange(
      encryptor,
      file,
      plain.length,
      { start: 0, end: encryptedSize(encryptor) - 1 },
      sink,
      () => undefined,
    );
    // The format header first (held until released), then the first chunk.
    await eventually('the header was written', () => Promise.resolve(sink.waiting.length === 1));
    sink.waiting.shift()?.();
    await eventually('a first chunk was written', () => Promise.resolve(sink.received.length === 2));
    const written = sink.received.length;
    sink.destroy();
    await sent;
    expect(await openDescriptorsOn(file)).toBe(0);
    expect(sink.received.length).toBe(written);
  });

  test('a rendition file shorter than its facts say is refused before any chunk is sent', async () => {
    const { plain, file, encryptor } = await setup(300_000);
    const sink = new SlowSink();
    const range = { start: encryptor.header.headerLength, end: encryptedSize(encryptor) - 1 };
    await expect(sendEncryptedRange(encryptor, file, plain.length + 1, range, sink, () => undefined)).rejects.toThrow(
      /has 300000 bytes, its recorded rendition facts say 300001/,
    );
    expect(await openDescriptorsOn(file)).toBe(0);
  });
});
