import {
  loadSodium,
  planBodyRef,
  verifyDocument,
  type CheckinRequest,
  type Keystore,
  type PlanEnvelope,
  type Sodium,
} from '@roomtone/provisioning';
import { FixedClock } from '../../../hub/src/common/time/clock';
import { PlansService } from '../../../hub/src/plans';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { createTenant, type TenantFixture } from '../authz/support/fixtures';
import {
  call,
  deviceClock,
  signedCall,
  signedHeaders,
  userHeaders,
  type UserHeaders,
  startApplianceHub,
  enrolInZone,
} from '../appliances/support';
import { createProgramme, readyTrack } from '../plans/support';

jest.setTimeout(60_000);

const START = '2026-03-27T00:00:00.000Z';

function report(planId: string | null): CheckinRequest {
  return {
    softwareVersion: '1.0.0',
    clock: START,
    uptimeSeconds: 1,
    state: 'no-plan',
    planId,
    licenceEtag: null,
    nowPlaying: null,
    cache: { tracks: 0, bytes: 0, budgetBytes: 1_000_000, missing: 0 },
    disk: { freeBytes: 1_000_000 },
    playLog: { pending: 0, lastSequence: 0 },
    errors: [],
  };
}

describe.each(databaseKinds())('GET /appliance/v1/plan on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let sodium: Sodium;
  let base: string;
  let tenant: TenantFixture;
  let manager: UserHeaders;
  let device: Keystore;
  let programme: string;
  let otherDevice: Keystore;
  let otherPlan: PlanEnvelope;
  const clock = new FixedClock(START);

  const url = `/appliance/v1/plan`;
  const fetchPlan = (ifNoneMatch?: string) =>
    fetch(`${base}${url}`, {
      headers: {
        ...signedHeaders(sodium, deviceClock(clock), device, 'GET', `${base}${url}`),
        ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}),
      },
    });
  const fetchBody = (sha256: string, as: Keystore = device, ifNoneMatch?: string) => {
    const target = `${base}/appliance/v1/plan-bodies/${sha256}`;
    return fetch(target, {
      headers: {
        ...signedHeaders(sodium, deviceClock(clock), as, 'GET', target),
        ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}),
      },
    });
  };
  const envelopeOf = (json: string) =>
    verifyDocument(sodium, JSON.parse(json), device.hubPublicKey as Uint8Array) as unknown as PlanEnvelope;
  const checkin = (planId: string | null) =>
    signedCall(sodium, deviceClock(clock), device, 'POST', `${base}/appliance/v1/checkin`, report(planId));
  const publish = async (volume: number): Promise<string> => {
    const draft = await call(base, 'PUT', `/zones/${tenant.zoneId}/schedule/draft`, {
      headers: manager,
      json: {
        version: 1,
        zone: 'Europe/Berlin',
        blocks: [{ id: 'day', rule: { cron: '0 9 * * *' }, duration: 'PT8H', programme, volume }],
      },
    });
    expect(draft.status).toBe(200);
    const published = await call(base, 'POST', `/zones/${tenant.zoneId}/schedule/publish`, { headers: manager });
    expect(published.status).toBe(200);
    return published.body.planId as string;
  };

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    let operator: UserHeaders;
    ({ hub, base, tenant, operator } = await startApplianceHub(db, clock, {
      env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' },
      tenantName: 'Plan',
      operatorEmail: 'op@plan.test',
    }));
    manager = await userHeaders(hub, tenant.users.venue_manager.email);
    device = await enrolInZone(base, sodium, clock, operator, tenant.venueId, tenant.zoneId);
    const track = await readyTrack(hub.app, db.dataDir, tenant.labelId, 'Morning', 4096);
    programme = await createProgramme(hub.app, tenant.businessId, 'Morning', [track.id]);
    // Another tenant with its own appliance and plan (its programmes must stay its own).
    const other = await createTenant(hub.app, 'Other');
    otherDevice = await enrolInZone(base, sodium, clock, operator, other.venueId, other.zoneId);
    const otherTrack = await readyTrack(hub.app, db.dataDir, other.labelId, 'Secret', 2048);
    const otherProgramme = await createProgramme(hub.app, other.businessId, 'Secret', [otherTrack.id]);
    const otherManager = await userHeaders(hub, other.users.venue_manager.email);
    expect(
      (
        await call(base, 'PUT', `/zones/${other.zoneId}/schedule/draft`, {
          headers: otherManager,
          json: {
            version: 1,
            zone: 'Europe/Berlin',
            blocks: [
              { id: 'day', rule: { cron: '0 10 * * *' }, duration: 'PT2H', programme: otherProgramme, volume: 30 },
            ],
          },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call(base, 'POST', `/zones/${other.zoneId}/schedule/publish`, { headers: otherManager })).status,
    ).toBe(200);
    otherPlan = envelopeOf((await hub.app.get(PlansService).current(other.zoneId))!.json);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  it('before any publication: 404 NO_PLAN saying what to do, and check-in reports plan id null', async () => {
    const none = await fetchPlan();
    expect(none.status).toBe(404);
    const body = JSON.parse(await none.text()) as { code: string; message: string };
    expect(body.code).toBe('NO_PLAN');
    expect(body.message).toMatch(/has no plan yet: publish its schedule/);
    expect((await checkin(null)).body.plan).toEqual({ id: null, etag: null, changed: false });
  });

  it('after publishing: check-in says changed; the plan is the stored signed text byte for byte, its signature verifies, strong ETag, no-cache, 304 when held', async () => {
    const planId = await publish(40);
    const stored = await hub.app.get(PlansService).current(tenant.zoneId);
    expect(stored?.planId).toBe(planId);
    expect((await checkin(null)).body.plan).toEqual({ id: planId, etag: stored!.etag, changed: true });

    const fetched = await fetchPlan();
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('etag')).toBe(`"${stored!.etag}"`);
    expect(fetched.headers.get('cache-control')).toBe('no-cache');
    expect(fetched.headers.get('content-type')).toMatch(/^application\/json/);
    const bytes = Buffer.from(await fetched.arrayBuffer());
    expect(bytes.equals(Buffer.from(stored!.json, 'utf8'))).toBe(true);
    const payload = verifyDocument(sodium, JSON.parse(bytes.toString('utf8')), device.hubPublicKey as Uint8Array);
    expect(payload).toMatchObject({ type: 'roomtone.plan', planId, zoneId: tenant.zoneId, venueId: tenant.venueId });

    const held = await fetchPlan(`"${stored!.etag}"`);
    expect(held.status).toBe(304);
    expect(await held.text()).toBe('');
    expect(held.headers.get('etag')).toBe(`"${stored!.etag}"`);
    expect((await checkin(planId)).body.plan).toEqual({ id: planId, etag: stored!.etag, changed: false });
  });

  it('a new publication: the held plan id is reported as changed, the old ETag gets the new plan with 200', async () => {
    const old = await hub.app.get(PlansService).current(tenant.zoneId);
    const planId = await publish(55);
    expect(planId).not.toBe(old!.planId);
    const stored = await hub.app.get(PlansService).current(tenant.zoneId);
    expect((await checkin(old!.planId)).body.plan).toEqual({ id: planId, etag: stored!.etag, changed: true });
    const fetched = await fetchPlan(`"${old!.etag}"`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('etag')).toBe(`"${stored!.etag}"`);
    expect(await fetched.text()).toBe(stored!.json);
  });

  it("plan bodies: 200 with the exact bytes the envelope names (immutable, ETag = hash), 304 when held; 403 NOT_IN_PLAN for another tenant's body, 404 PLAN_BODY_NOT_FOUND, 400 for a malformed hash", async () => {
    const stored = (await hub.app.get(PlansService).current(tenant.zoneId))!;
    const envelope = envelopeOf(stored.json);
    for (const [kind, ref] of [
      ['roomtone.plan-timeline', envelope.timeline],
      ['roomtone.plan-catalogue', envelope.catalogue],
    ] as const) {
      const response = await fetchBody(ref.sha256);
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe(`"${ref.sha256}"`);
      expect(response.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(planBodyRef(bytes)).toEqual(ref);
      expect((JSON.parse(bytes.toString('utf8')) as { type: string }).type).toBe(kind);
      const held = await fetchBody(ref.sha256, device, `"${ref.sha256}"`);
      expect(held.status).toBe(304);
      expect(await held.text()).toBe('');
    }
    // The catalogue names the zone's programme and its track facts.
    const catalogue = JSON.parse(await (await fetchBody(envelope.catalogue.sha256)).text()) as {
      programmes: { id: string }[];
    };
    expect(catalogue.programmes.map((p) => p.id)).toEqual([programme]);

    // Another tenant's bodies exist but are not this appliance's to read, and the other way round.
    for (const ref of [otherPlan.timeline, otherPlan.catalogue]) {
      const refused = await fetchBody(ref.sha256);
      expect(refused.status).toBe(403);
      const body = JSON.parse(await refused.text()) as { code: string; message: string };
      expect(body.code).toBe('NOT_IN_PLAN');
      expect(body.message).toMatch(/not referenced by a plan of this appliance's zone/);
    }
    expect((await fetchBody(otherPlan.catalogue.sha256, otherDevice)).status).toBe(200);
    expect((await fetchBody(envelope.catalogue.sha256, otherDevice)).status).toBe(403);

    const missing = await fetchBody('0'.repeat(64));
    expect(missing.status).toBe(404);
    expect((JSON.parse(await missing.text()) as { code: string }).code).toBe('PLAN_BODY_NOT_FOUND');
    const malformed = await fetchBody('ABC');
    expect(malformed.status).toBe(400);
    expect((JSON.parse(await malformed.text()) as { message: string }).message).toMatch(
      /not a SHA-256 in lowercase hex/,
    );
  });

  it("a superseded plan's bodies stay readable for the zone while the plan is kept", async () => {
    const before = envelopeOf((await hub.app.get(PlansService).current(tenant.zoneId))!.json);
    await publish(70);
    const after = envelopeOf((await hub.app.get(PlansService).current(tenant.zoneId))!.json);
    expect(after.timeline.sha256).not.toBe(before.timeline.sha256);
    // Same programme, same tracks: the catalogue body is shared by both plans.
    expect(after.catalogue).toEqual(before.catalogue);
    expect((await fetchBody(before.timeline.sha256)).status).toBe(200);
    expect((await fetchBody(after.timeline.sha256)).status).toBe(200);
  });
});
