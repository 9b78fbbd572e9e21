import { stat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encryptFile, loadSodium, type PlanPayload, type Sodium } from '@roomtone/provisioning';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { PlanWorker, PlansService } from '../../../hub/src/plans';
import { PlanInvalidations } from '../../../hub/src/plans/invalidation';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { startClockedHub } from '../authz/support/fixtures';
import {
  createCaller,
  createMatrixTenant,
  type Caller,
  type MatrixTenant,
  callAs,
  createOperatorCaller,
} from '../authz/support/matrix-fixtures';
import { assembledPlan, createProgramme, readyTrack } from './support';

jest.setTimeout(60_000);

const START = '2026-03-27T00:00:00.000Z';

describe.each(databaseKinds())('plans: compiled, signed, recompiled (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let sodium: Sodium;
  let work: string;
  let tenant: MatrixTenant;
  let manager: Caller;
  let operator: Caller;
  let plans: PlansService;
  let worker: PlanWorker;
  let venueId: string;
  let zoneId: string;
  let evening: string;
  let lunch: string;
  const tracks: { id: string; deliveryPath: string }[] = [];
  const clock = new FixedClock(START);
  const as = (caller: Caller) => callAs(hub.app, caller);
  const payloadOf = async (): Promise<PlanPayload> => {
    const current = await plans.current(zoneId);
    if (current === null) throw new Error('no current plan');
    return (await assembledPlan(hub.app, sodium, current.json)).plan;
  };

  beforeAll(async () => {
    sodium = await loadSodium();
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-plans-'));
    db = await freshDatabase(kind);
    hub = await startClockedHub(db, clock, { env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' } });
    plans = hub.app.get(PlansService);
    worker = hub.app.get(PlanWorker);
    tenant = await createMatrixTenant(hub.app, 'Plans', db.dataDir, true);
    manager = await createCaller(hub.app, 'venue_manager', tenant.users.venue_manager.email);
    operator = await createOperatorCaller(hub.app, 'op@plans.test');
    // A venue of its own, without a licence.
    venueId = (
      await as(operator)
        .post('/venues', { organisationId: tenant.businessId, name: 'Berlin Bar', timeZone: 'Europe/Berlin' })
        .expect(201)
    ).body.id;
    zoneId = (await as(operator).post(`/venues/${venueId}/zones`, { name: 'Bar' }).expect(201)).body.id;
    // 1 byte, one chunk exactly, one chunk and a byte, ~200 kB.
    for (const [i, size] of [1, 65_536, 65_537, 200_003].entries()) {
      tracks.push(await readyTrack(hub.app, db.dataDir, tenant.labelId, `Track ${i}`, size));
    }
    evening = await createProgramme(hub.app, tenant.businessId, 'Evening', [tracks[0].id, tracks[1].id]);
    lunch = await createProgramme(hub.app, tenant.businessId, 'Lunch', [tracks[2].id]);
    await as(manager)
      .put(`/zones/${zoneId}/schedule/draft`, {
        version: 1,
        zone: 'Europe/Berlin',
        blocks: [
          {
            id: 'evening',
            rule: { rrule: 'DTSTART:20260101T220000\nRRULE:FREQ=DAILY' },
            end: '06:00',
            programme: evening,
            volume: 35,
          },
          {
            id: 'lunch',
            rule: { cron: '0 12 * * *' },
            duration: 'PT1H',
            programme: lunch,
            volume: 60,
            priority: 10,
            start: { mode: 'soft', maxLatenessSeconds: 120 },
          },
        ],
      })
      .expect(200);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('publishing compiles a plan signed by the hub key; no licence means licence null', async () => {
    const published = await as(manager).post(`/zones/${zoneId}/schedule/publish`).expect(200);
    const payload = await payloadOf();
    expect(payload).toMatchObject({
      type: 'roomtone.plan',
      formatVersion: 1, // the assembled shape; the signed envelope is format 2 (assembledPlan checks)
      planId: published.body.planId,
      zoneId,
      venueId,
      timeZone: 'Europe/Berlin',
      tzdbVersion: process.versions.tz,
      scheduleVersion: 1,
      compiledAt: START,
      from: START,
      until: '2026-04-10T00:00:00.000Z',
      licence: null,
    });
    const current = await plans.current(zoneId);
    expect(current).toMatchObject({ planId: published.body.planId, zoneId, venueId, licenceTier: null });
    expect(current!.from.toISOString()).toBe(START);
    // Format 2: the signed document is a small envelope; the bodies are shared, content-addressed rows.
    expect(current!.json.length).toBeLessThan(2000);
    // The dashboard view is the same payload, assembled by the hub.
    expect((await as(manager).get(`/zones/${zoneId}/plan`).expect(200)).body.plan).toEqual(payload);
  });

  it('a recompilation right after a publish (the worker consuming an invalidation written before it) keeps the plan: same content, same id and ETag (review finding)', async () => {
    const before = (await plans.current(zoneId))!;
    // E.g. a programme created just before the publish: its invalidation is consumed after the publish's compile.
    await hub.app
      .get(DataSource)
      .transaction((m) => hub.app.get(PlanInvalidations).zones(m, [zoneId], 'programme.create'));
    clock.advance(60_000);
    const round = await worker.runOnce();
    expect(round).toMatchObject({ invalidations: 1, invalidatedZones: 1 });
    const after = (await plans.current(zoneId))!;
    expect([after.planId, after.etag, after.json]).toEqual([before.planId, before.etag, before.json]);
    const rows = await hub.app
      .get(DataSource)
      .query(`SELECT COUNT(*) AS n FROM plans WHERE zone_id = ${kind === 'postgres' ? '$1' : '?'}`, [zoneId]);
    expect(Number(rows[0].n)).toBe(1);
    clock.set(START);
  });

  it('Europe/Berlin spring-forward 2026-03-29: exact UTC intervals (evening 7 h, lunch an hour earlier in UTC)', async () => {
    const payload = await payloadOf();
    const around = payload.intervals
      .filter((i) => i.start >= '2026-03-28T00:00:00.000Z' && i.start < '2026-03-30T00:00:00.000Z')
      .map((i) => [
        i.blockId,
        i.start,
        i.end,
        i.programmeId,
        i.volume,
        i.startMode,
        i.maxLatenessSeconds,
        i.occurrence,
      ]);
    expect(around).toEqual([
      ['lunch', '2026-03-28T11:00:00.000Z', '2026-03-28T12:00:00.000Z', lunch, 60, 'soft', 120, '2026-03-28T12:00'],
      [
        'evening',
        '2026-03-28T21:00:00.000Z',
        '2026-03-29T04:00:00.000Z',
        evening,
        35,
        'hard',
        null,
        '2026-03-28T22:00',
      ],
      ['lunch', '2026-03-29T10:00:00.000Z', '2026-03-29T11:00:00.000Z', lunch, 60, 'soft', 120, '2026-03-29T12:00'],
      [
        'evening',
        '2026-03-29T20:00:00.000Z',
        '2026-03-30T04:00:00.000Z',
        evening,
        35,
        'hard',
        null,
        '2026-03-29T22:00',
      ],
    ]);
    const first = payload.intervals[0];
    expect(first).toMatchObject({
      ruleKind: 'rrule',
      rule: 'DTSTART:20260101T220000\nRRULE:FREQ=DAILY',
      source: 'scheduled',
      priority: 0,
    });
  });

  it('lists every track of the plan once, soonest needed first, with the exact encrypted download size', async () => {
    const payload = await payloadOf();
    expect(payload.programmes.map((p) => [p.id, p.trackIds])).toEqual([
      [evening, [tracks[0].id, tracks[1].id]],
      [lunch, [tracks[2].id]],
    ]);
    const first = payload.intervals[0].start;
    const firstLunch = payload.intervals.find((i) => i.programmeId === lunch)!.start;
    expect(payload.tracks.map((t) => [t.id, t.neededFrom])).toEqual([
      [tracks[0].id, first],
      [tracks[1].id, first],
      [tracks[2].id, firstLunch],
    ]);
    const applianceId = '0190f000-0000-7000-8000-000000000036';
    expect(applianceId).toHaveLength(36);
    for (const doc of payload.tracks) {
      const track = tracks.find((t) => t.id === doc.id)!;
      const out = path.join(work, `${doc.id}.rtt`);
      await encryptFile(
        sodium,
        {
          hubSecret: new Uint8Array(32).fill(7),
          recipientPublicKey: sodium.randomBytes(32),
          applianceId,
          trackId: doc.id,
          renditionVersion: 1,
        },
        track.deliveryPath,
        out,
      );
      expect([doc.id, doc.downloadBytes]).toEqual([doc.id, (await stat(out)).size]);
      expect(doc).toMatchObject({
        title: expect.stringMatching(/^Track /),
        label: 'Test Records',
        loudnessLufs: -14.5,
        previewBytes: 1000,
      });
    }
    const current = await plans.current(zoneId);
    expect([...current!.trackIds].sort()).toEqual([tracks[0].id, tracks[1].id, tracks[2].id].sort());
  });

  it('a programme change recompiles the plan through the worker; the old plan keeps its tracks', async () => {
    const before = (await plans.current(zoneId))!;
    // Through the programmes API, which records the invalidation with its change.
    await as(manager)
      .patch(`/programmes/${lunch}`, { trackIds: [tracks[2].id, tracks[3].id] })
      .expect(200);
    const round = await worker.runOnce();
    expect(round.invalidatedZones).toBeGreaterThanOrEqual(1);
    const after = (await plans.current(zoneId))!;
    expect(after.planId).not.toBe(before.planId);
    expect(after.trackIds.has(tracks[3].id)).toBe(true);
    const held = await plans.tracksOfPlans([before.planId, after.planId]);
    expect(held.get(before.planId)!.has(tracks[3].id)).toBe(false);
    expect(held.get(after.planId)!.has(tracks[3].id)).toBe(true);
    // Consumed: a second round has nothing to do.
    expect((await worker.runOnce()).invalidations).toBe(0);
  });

  it('a blocked track leaves the zone plan', async () => {
    await as(manager)
      .put(`/zones/${zoneId}/blocked-tracks/${tracks[0].id}`)
      .expect((r) => expect(r.status).toBeLessThan(300));
    await worker.runOnce();
    const payload = await payloadOf();
    expect(payload.tracks.map((t) => t.id)).not.toContain(tracks[0].id);
    expect(payload.programmes.find((p) => p.id === evening)!.trackIds).toEqual([tracks[1].id]);
  });

  it("a track's change recompiles the zones whose plan holds it, and no other (no rules programme is named)", async () => {
    const invalidate = (trackId: string) =>
      hub.app.get(DataSource).transaction((m) => hub.app.get(PlanInvalidations).track(m, trackId, 'track.update'));
    const before = (await plans.current(zoneId))!;
    await invalidate(tracks[0].id); // blocked in this zone: in no plan
    expect(await worker.runOnce()).toMatchObject({ invalidations: 1, invalidatedZones: 0 });
    expect((await plans.current(zoneId))!.planId).toBe(before.planId);
    // Recompiled, but nothing the plan says changed: the plan is kept.
    await invalidate(tracks[1].id);
    expect(await worker.runOnce()).toMatchObject({ invalidations: 1, invalidatedZones: 1 });
    expect((await plans.current(zoneId))!.planId).toBe(before.planId);
    // Its title changes: a new plan whose catalogue says so.
    await hub.app
      .get(DataSource)
      .query(`UPDATE tracks SET title = 'Track 1 (remastered)' WHERE id = ${kind === 'postgres' ? '$1' : '?'}`, [
        tracks[1].id,
      ]);
    await invalidate(tracks[1].id);
    expect(await worker.runOnce()).toMatchObject({ invalidations: 1, invalidatedZones: 1 });
    expect((await plans.current(zoneId))!.planId).not.toBe(before.planId);
    expect((await payloadOf()).tracks.find((t) => t.id === tracks[1].id)!.title).toBe('Track 1 (remastered)');
  });

  it('a licence created and amended is in the next plan; it ends by itself at validUntil', async () => {
    const created = await as(operator)
      .post(`/venues/${venueId}/licences`, {
        tier: 'preview',
        validFrom: '2026-03-01T00:00:00Z',
        validUntil: '2026-03-28T00:00:00Z',
        leaseDays: 3,
      })
      .expect(201);
    await worker.runOnce();
    expect((await payloadOf()).licence).toEqual({
      licenceId: created.body.id,
      version: 1,
      venueId,
      tier: 'preview',
      validFrom: '2026-03-01T00:00:00.000Z',
      validUntil: '2026-03-28T00:00:00.000Z',
      leaseDays: 3,
    });
    expect((await plans.current(zoneId))!.licenceTier).toBe('preview');
    await as(operator).patch(`/licences/${created.body.id}`, { tier: 'full', leaseDays: 5 }).expect(200);
    await worker.runOnce();
    expect((await payloadOf()).licence).toMatchObject({ version: 2, tier: 'full', leaseDays: 5 });
    // Nothing to do until the licence ends; then the plan says no licence.
    clock.set('2026-03-27T23:59:59.999Z');
    expect(await worker.runOnce()).toMatchObject({ invalidations: 0, dueZones: 0 });
    clock.set('2026-03-28T00:00:00.000Z');
    expect((await worker.runOnce()).dueZones).toBe(1);
    expect((await payloadOf()).licence).toBeNull();
  });

  it('the horizon advances: a plan compiled more than 24 h ago is recompiled from now', async () => {
    const before = (await plans.current(zoneId))!;
    clock.set(new Date(before.from.getTime() + 24 * 3_600_000));
    expect((await worker.runOnce()).dueZones).toBe(0);
    clock.advance(1);
    expect((await worker.runOnce()).dueZones).toBe(1);
    const payload = await payloadOf();
    expect(payload.from).toBe(clock.now().toISOString());
    expect(payload.until).toBe(new Date(clock.now().getTime() + 14 * 86_400_000).toISOString());
    expect(payload.intervals[0].start >= payload.from || payload.intervals[0].end > payload.from).toBe(true);
  });

  it('superseded plans are kept, then pruned 90 days after they were superseded', async () => {
    const count = async () =>
      Number((await hub.app.get(DataSource).query('SELECT COUNT(*) AS n FROM plans'))[0].n as string | number);
    const total = await count();
    expect(total).toBeGreaterThan(1);
    const bodiesBefore = Number(
      (await hub.app.get(DataSource).query('SELECT COUNT(*) AS n FROM plan_bodies'))[0].n as string | number,
    );
    clock.advance(90 * 86_400_000 + 3_600_000);
    await worker.runOnce();
    // Left: the new current plan and the one it just superseded.
    expect(await count()).toBe(2);
    // Bodies: exactly those the two kept plans reference (the others were unreferenced and unused for 90 days).
    const ds = hub.app.get(DataSource);
    const referenced = await ds.query<{ timeline_sha256: string; catalogue_sha256: string }[]>(
      'SELECT timeline_sha256, catalogue_sha256 FROM plans',
    );
    const kept = await ds.query<{ sha256: string }[]>('SELECT sha256 FROM plan_bodies ORDER BY sha256');
    expect(kept.length).toBeLessThan(bodiesBefore);
    expect(kept.map((r) => r.sha256)).toEqual(
      [...new Set(referenced.flatMap((r) => [r.timeline_sha256, r.catalogue_sha256]))].sort(),
    );
  });
});
