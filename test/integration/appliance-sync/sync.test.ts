import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HubSigningKey, loadSodium, type Keystore, type Sodium } from '@roomtone/provisioning';
import { randomUUID } from 'node:crypto';
import { HubClient } from '../../../appliance/src/sync/hub-client';
import { PlayUploader } from '../../../appliance/src/sync/uploader';
import { ZONE_PLAN_TRACKS } from '../../../hub/src/appliance-api/delivery/zone-plan-tracks';
import { CurrentPlans } from '../../../hub/src/appliance-api/ports';
import { PlanBodies } from '../../../hub/src/appliance-api/documents/plan-bodies';
import { DEMO_TRACKS, generateDemoMaster } from '../../../hub/src/catalog/media';
import { MediaStore } from '../../../hub/src/catalog/storage/media-store';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { ZonesRepository } from '../../../hub/src/tenancy/repositories/zones.repository';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { requireTool } from '../../support/require-tool';
import { deviceClock, type UserHeaders, startApplianceHub, enrolInZone } from '../appliances/support';
import { signIn, type TenantFixture } from '../authz/support/fixtures';
import { upload, waitForIngest } from '../catalog/support';
import { planFor, SignedTestPlans, syncAppliance } from './support';

jest.setTimeout(180_000);

const START = '2026-11-24T10:00:00.000Z';

describe.each(databaseKinds())('appliance sync against the real hub (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let base: string;
  let sodium: Sodium;
  let clock: FixedClock;
  let work: string;
  const plans = new SignedTestPlans();
  let tenant: TenantFixture;
  let operator: UserHeaders;
  let device: Keystore;
  let trackId: string;
  let delivery: Buffer;

  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    sodium = await loadSodium();
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-sync-'));
    db = await freshDatabase(kind);
    clock = new FixedClock(START);
    ({ hub, base, tenant, operator } = await startApplianceHub(db, clock, {
      tenantName: 'Syncvenue',
      customise: (b) =>
        b
          .overrideProvider(ZONE_PLAN_TRACKS)
          .useValue(plans)
          .overrideProvider(CurrentPlans)
          .useValue(plans)
          .overrideProvider(PlanBodies)
          .useValue(plans),
    }));
    plans.key = hub.app.get(HubSigningKey);
    device = await enrolInZone(base, sodium, clock, operator, tenant.venueId, tenant.zoneId);
    const licence = await fetch(`${base}/venues/${tenant.venueId}/licences`, {
      method: 'POST',
      headers: { ...operator, 'content-type': 'application/json' },
      body: JSON.stringify({
        tier: 'full',
        validFrom: '2026-11-01T00:00:00.000Z',
        validUntil: '2027-11-01T00:00:00.000Z',
        leaseDays: 7,
      }),
    });
    expect(licence.status).toBe(201);
    const owner = await signIn(hub.app, tenant.users.rights_owner.email);
    const master = path.join(work, 'master.mp3');
    await generateDemoMaster({ ...DEMO_TRACKS[1], seconds: 4 }, master, 'mp3', 320);
    const uploaded = await upload(hub.app, owner, await readFile(master)).expect(201);
    trackId = uploaded.body.track.id as string;
    expect((await waitForIngest(hub.app, owner, trackId, 90_000)).state).toBe('ready');
    delivery = await readFile(hub.app.get(MediaStore).deliveryPath(trackId));
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const appliance = (dataDir: string, keystore: Keystore = device, statuses: number[] = [], skewMs = 0) =>
    syncAppliance({ dataDir, keystore, sodium, clock: deviceClock(clock, skewMs), start: START, statuses });

  test('enrol, check in, verify the signed plan and licence, download and decrypt the track (= the delivery file)', async () => {
    const plan = planFor(tenant.zoneId, tenant.venueId, START, { id: trackId, delivery });
    plans.set(plan);
    const dataDir = await mkdtemp(path.join(work, 'appliance-'));
    const { log, cache, sync, clocks } = await appliance(dataDir);
    try {
      const answer = await sync.checkin();
      expect(answer.plan).toMatchObject({ id: plan.planId, changed: true });
      expect(sync.lastHubTime()).toEqual({ hubTimeMs: Date.parse(START), monotonicMs: clocks.monoMs });
      expect(sync.plan()?.planId).toBe(plan.planId);
      expect(sync.licence()).toMatchObject({ applianceId: device.applianceId, zoneId: tenant.zoneId });
      expect(sync.licence()?.terms.tier).toBe('full');
      const round = await sync.prefetchDone();
      expect(round?.failed).toEqual([]);
      expect(cache.has(trackId)).toBe(true);
      const parts: Uint8Array[] = [];
      for await (const part of cache.open(trackId)) parts.push(part);
      expect(Buffer.concat(parts).equals(delivery)).toBe(true);
      expect(cache.entry(trackId)?.size).toBe(plan.tracks[0].downloadBytes);
      // The hub recorded what the appliance reported.
      const again = await sync.checkin();
      expect(again.plan.changed).toBe(false);
    } finally {
      await sync.stop();
      log.close();
    }
  });

  test('a partial download resumes against the hub with Range + If-Range (206); a corrupted cache file is refetched', async () => {
    const plan = planFor(tenant.zoneId, tenant.venueId, START, { id: trackId, delivery });
    plans.set(plan);
    const dataDir = await mkdtemp(path.join(work, 'appliance-'));
    const client = new HubClient(device, { sodium, clock: deviceClock(clock) });
    const whole = await client.request('GET', `/appliance/v1/tracks/${trackId}`);
    expect(whole.status).toBe(200);
    const etag = whole.headers.get('etag')!;
    const encrypted = Buffer.from(await whole.arrayBuffer());
    await mkdir(path.join(dataDir, 'cache'), { recursive: true });
    const part = path.join(dataDir, 'cache', `${trackId}.rtt.part`);
    await writeFile(part, encrypted.subarray(0, 100_000));
    await writeFile(`${part}.etag`, etag);
    const statuses: number[] = [];
    const { log, cache, sync } = await appliance(dataDir, device, statuses);
    try {
      await sync.checkin();
      expect((await sync.prefetchDone())?.failed).toEqual([]);
      expect(statuses).toEqual([206]);
      const cached = path.join(dataDir, 'cache', `${trackId}.rtt`);
      expect((await readFile(cached)).equals(encrypted)).toBe(true);
      // Corrupt the cached file: playing it fails authentication, the entry is deleted, the next round refetches it.
      const damaged = Buffer.from(encrypted);
      damaged[damaged.length - 20] ^= 0x40;
      await writeFile(cached, damaged);
      await expect(async () => {
        for await (const _part of cache.open(trackId)) {
          // consume
        }
      }).rejects.toThrow(/tampered/);
      expect(cache.has(trackId)).toBe(false);
      expect(sync.status().errors[0].message).toMatch(/corrupt/);
      await sync.checkin();
      await sync.prefetchDone();
      expect(statuses).toEqual([206, 200]);
      expect((await readFile(cached)).equals(encrypted)).toBe(true);
    } finally {
      await sync.stop();
      log.close();
    }
  });

  test('an appliance whose clock is 2 h slow still checks in: the skew refusal corrects its signing clock once', async () => {
    plans.set(planFor(tenant.zoneId, tenant.venueId, START, { id: trackId, delivery }));
    const dataDir = await mkdtemp(path.join(work, 'appliance-'));
    const { log, sync, client } = await appliance(dataDir, device, [], -2 * 3_600_000);
    try {
      await sync.checkin();
      expect(sync.lastHubTime()?.hubTimeMs).toBe(Date.parse(START));
      expect(Math.abs(client.clockOffsetMs - 2 * 3_600_000)).toBeLessThan(2_000);
      await sync.checkin(); // no refusal now: signed with the corrected clock
      expect(sync.status().consecutiveFailures).toBe(0);
    } finally {
      await sync.stop();
      log.close();
    }
  });

  test('plays: uploaded twice (answer lost) are counted once; a play open at a crash reaches the hub as interrupted', async () => {
    const zone = await hub.app.get(ZonesRepository).create(tenant.venueId, 'Bar');
    const plan = planFor(zone.id, tenant.venueId, START, { id: trackId, delivery });
    plans.set(plan);
    const second = await enrolInZone(base, sodium, clock, operator, tenant.venueId, zone.id);
    const dataDir = await mkdtemp(path.join(work, 'appliance-'));
    let parts = await appliance(dataDir, second);
    await parts.sync.checkin(); // holds the plan, so its plays are in plan
    const startPlay = (i: number) => ({
      playId: randomUUID(),
      trackId,
      planId: plan.planId,
      programmeId: null,
      blockId: null,
      rule: null,
      startedAt: new Date(Date.parse(START) - (10 - i) * 60_000).toISOString(),
      source: 'scheduled' as const,
      quality: 'full' as const,
      offline: false,
    });
    for (let i = 0; i < 3; i++) parts.log.end(parts.log.begin(startPlay(i)), 3.5, 'completed');
    // First upload: the hub stores the batch but the appliance never sees the answer (nothing acknowledged).
    const first = await parts.client.json('POST', '/appliance/v1/plays', { json: { plays: parts.log.pending(10) } });
    expect(first.body).toMatchObject({ accepted: 3, duplicates: 0, storedThrough: 3 });
    expect(parts.log.stats().pending).toBe(3);
    // The uploader sends the same plays again: counted once, then deleted locally.
    const uploader = new PlayUploader(parts.log, parts.client, (e) => events.push(e));
    const events: Record<string, unknown>[] = [];
    expect(await uploader.drain()).toBe(3);
    expect(events[0]).toMatchObject({ event: 'plays-uploaded', accepted: 0, duplicates: 3, storedThrough: 3 });
    expect(parts.log.stats()).toEqual({ pending: 0, lastSequence: 3 });

    // A play begins, audible time is recorded, then the process dies (no end, no close).
    const open = parts.log.begin(startPlay(3));
    parts.log.progress(open, 2.5);
    await parts.sync.stop();
    parts = await appliance(dataDir, second);
    const answer = await parts.sync.checkin(); // reopened log closed it as interrupted; check-in uploads it
    expect(answer.playsStoredThrough).toBe(3);
    expect(parts.log.stats()).toEqual({ pending: 0, lastSequence: 4 });
    const page = await fetch(`${base}/venues/${tenant.venueId}/plays`, { headers: operator });
    expect(page.status).toBe(200);
    type View = { applianceId: string; sequence: number; ended: string; secondsAudible: number; flags: string[] };
    const views = (JSON.parse(await page.text()) as { plays: View[] }).plays.filter(
      (p) => p.applianceId === second.applianceId,
    );
    expect(views.map((p) => [p.sequence, p.ended, p.secondsAudible])).toEqual([
      [1, 'completed', 3.5],
      [2, 'completed', 3.5],
      [3, 'completed', 3.5],
      [4, 'interrupted', 2.5],
    ]);
    expect(views.flatMap((p) => p.flags)).toEqual([]);
    await parts.sync.stop();
    parts.log.close();
  });
});
