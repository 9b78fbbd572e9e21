import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSodium, type Keystore, type PlanEnvelope, type Sodium } from '@roomtone/provisioning';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { PlanWorker } from '../../../hub/src/plans';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { deviceClock, listen, enrolInZone } from '../appliances/support';
import { createTenant, type TenantFixture, startClockedHub } from '../authz/support/fixtures';
import { createCaller, type Caller, callAs, createOperatorCaller } from '../authz/support/matrix-fixtures';
import { createProgramme, readyTrack } from '../plans/support';
import { syncAppliance } from './support';

jest.setTimeout(120_000);

const START = '2026-11-24T10:00:00.000Z';

describe.each(databaseKinds())('appliance sync with a plan compiled by the hub (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let base: string;
  let sodium: Sodium;
  let work: string;
  let tenant: TenantFixture;
  let operator: Caller;
  let manager: Caller;
  let device: Keystore;
  const tracks: { id: string; deliveryPath: string }[] = [];
  const clock = new FixedClock(START);
  const as = (caller: Caller) => callAs(hub.app, caller);

  beforeAll(async () => {
    sodium = await loadSodium();
    work = await mkdtemp(path.join(tmpdir(), 'roomtone-sync-plan-'));
    db = await freshDatabase(kind);
    hub = await startClockedHub(db, clock, { env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' } });
    base = await listen(hub);
    tenant = await createTenant(hub.app, 'Compiled');
    operator = await createOperatorCaller(hub.app, 'op@compiled.test');
    manager = await createCaller(hub.app, 'venue_manager', tenant.users.venue_manager.email);
    // One chunk exactly, one chunk and a byte, ~200 kB: the chunk boundaries of FORMAT.md.
    for (const [i, size] of [65_536, 65_537, 200_003].entries()) {
      tracks.push(await readyTrack(hub.app, db.dataDir, tenant.labelId, `Track ${i}`, size));
    }
    const evening = await createProgramme(hub.app, tenant.businessId, 'Evening', [tracks[0].id, tracks[1].id]);
    const lunch = await createProgramme(hub.app, tenant.businessId, 'Lunch', [tracks[2].id]);
    await as(operator)
      .post(`/venues/${tenant.venueId}/licences`, {
        tier: 'full',
        validFrom: '2026-11-01T00:00:00Z',
        validUntil: '2027-11-01T00:00:00Z',
        leaseDays: 7,
      })
      .expect(201);
    await as(manager)
      .put(`/zones/${tenant.zoneId}/schedule/draft`, {
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
          { id: 'lunch', rule: { cron: '0 12 * * *' }, duration: 'PT1H', programme: lunch, volume: 60, priority: 10 },
        ],
      })
      .expect(200);
    await as(manager).post(`/zones/${tenant.zoneId}/schedule/publish`).expect(200);
    await hub.app.get(PlanWorker).runOnce();
    device = await enrolInZone(
      base,
      sodium,
      clock,
      { Authorization: `Bearer ${operator.token}` },
      tenant.venueId,
      tenant.zoneId,
    );
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('the appliance verifies the compiled plan, prefetches lunch (12:00 Berlin) before evening, and each track decrypts to its delivery file', async () => {
    const dataDir = await mkdtemp(path.join(work, 'appliance-'));
    const requested: string[] = [];
    const { log, cache, sync } = await syncAppliance({
      dataDir,
      keystore: device,
      sodium,
      clock: deviceClock(clock),
      start: START,
      requested,
      downloadConcurrency: 1,
    });
    try {
      await sync.checkin();
      const plan = sync.plan()!;
      // The assembled shape (format 1's); the hub sent a format 2 envelope and its two bodies, kept on disk.
      expect(plan).toMatchObject({ zoneId: tenant.zoneId, formatVersion: 1, scheduleVersion: 1 });
      const state = JSON.parse(await readFile(path.join(dataDir, 'sync-state.json'), 'utf8')) as {
        plan: { payload: PlanEnvelope };
      };
      expect(state.plan.payload.formatVersion).toBe(2);
      expect((await readdir(path.join(dataDir, 'plan-bodies'))).sort()).toEqual(
        [state.plan.payload.timeline.sha256, state.plan.payload.catalogue.sha256].map((h) => `${h}.json`).sort(),
      );
      expect(plan.tracks.map((t) => t.id).sort()).toEqual(tracks.map((t) => t.id).sort());
      const round = await sync.prefetchDone();
      expect(round?.failed).toEqual([]);
      // 10:00 UTC is 11:00 in Berlin: lunch (12:00) is needed before the evening block (22:00).
      expect(requested).toEqual([tracks[2].id, ...[tracks[0].id, tracks[1].id].sort()]);
      for (const t of tracks) {
        const doc = plan.tracks.find((d) => d.id === t.id)!;
        expect(cache.entry(t.id)?.size).toBe(doc.downloadBytes);
        const parts: Uint8Array[] = [];
        for await (const part of cache.open(t.id)) parts.push(part);
        expect(Buffer.concat(parts).equals(await readFile(t.deliveryPath))).toBe(true);
      }
      expect(sync.status()).toMatchObject({ online: true, planId: plan.planId, consecutiveFailures: 0 });
    } finally {
      await sync.stop();
      log.close();
    }
  });
});
