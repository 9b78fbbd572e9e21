import { FixedClock } from '../../../hub/src/common/time/clock';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import type { TestHub } from '../../support/hub-app';
import { startClockedHub } from '../authz/support/fixtures';
import {
  createCaller,
  type Caller,
  type MatrixTenant,
  callAs,
  mineAndTheirs,
  createOperatorCaller,
} from '../authz/support/matrix-fixtures';
import { createProgramme } from '../plans/support';

jest.setTimeout(60_000);

describe.each(databaseKinds())('zone schedules: drafts and published versions (%s)', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let mine: MatrixTenant;
  let theirs: MatrixTenant;
  let manager: Caller;
  let installer: Caller;
  let foreignManager: Caller;
  let operator: Caller;
  let morning: string;
  let foreignProgramme: string;
  /** A zone of its own (the matrix fixture's zone already has a published version). */
  let zoneId: string;
  const clock = new FixedClock('2026-03-20T09:00:00.000Z');
  const as = (caller: Caller) => callAs(hub.app, caller);
  const schedule = (programme: string, extra: Record<string, unknown> = {}) => ({
    version: 1,
    blocks: [
      {
        id: 'day',
        rule: { rrule: 'DTSTART:20260101T080000\nRRULE:FREQ=DAILY' },
        end: '18:00',
        programme,
        volume: 55,
      },
    ],
    ...extra,
  });

  beforeAll(async () => {
    db = await freshDatabase(kind);
    hub = await startClockedHub(db, clock, { env: { ROOMTONE_PLAN_WORKER_INTERVAL_MS: '0' } });
    ({ mine, theirs, manager, installer } = await mineAndTheirs(hub.app, db.dataDir));
    foreignManager = await createCaller(hub.app, 'venue_manager', theirs.users.venue_manager.email);
    operator = await createOperatorCaller(hub.app);
    zoneId = (await as(operator).post(`/venues/${mine.venueId}/zones`, { name: 'Terrace' }).expect(201)).body.id;
    morning = await createProgramme(hub.app, mine.businessId, 'Morning', [mine.trackId]);
    foreignProgramme = await createProgramme(hub.app, theirs.businessId, 'Theirs', [theirs.trackId]);
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  const base = () => `/zones/${zoneId}/schedule`;

  it('a bad rule is a 422 SCHEDULE_INVALID naming the JSON path, and changes nothing', async () => {
    const bad = schedule(morning);
    (bad.blocks[0] as Record<string, unknown>).rule = {
      rrule: 'DTSTART:20260101T080000\nRRULE:FREQ=DAILY;BYMONTHDAY=32',
    };
    const response = await as(manager).put(`${base()}/draft`, bad).expect(422);
    expect(response.body.code).toBe('SCHEDULE_INVALID');
    expect(response.body.message).toMatch(/^blocks\[0\]\.rule\.rrule: .*BYMONTHDAY.*32/);
    expect(response.body.details).toEqual({ scheduleCode: 'INVALID_RULE', path: 'blocks[0].rule.rrule' });
    const unknownField = await as(manager)
      .put(`${base()}/draft`, { ...schedule(morning), blocks: [{ ...schedule(morning).blocks[0], volumne: 3 }] })
      .expect(422);
    expect(unknownField.body.message).toMatch(/^blocks\[0\]\.volumne: unknown field/);
    expect((await as(manager).get(base()).expect(200)).body.draft).toBeNull();
  });

  it("a zone other than the venue's is refused; an absent zone is the venue's", async () => {
    const wrong = await as(manager)
      .put(`${base()}/draft`, schedule(morning, { zone: 'Europe/London' }))
      .expect(422);
    expect(wrong.body.code).toBe('SCHEDULE_INVALID');
    expect(wrong.body.details).toEqual({ scheduleCode: 'ZONE_MISMATCH', path: 'zone' });
    expect(wrong.body.message).toContain('"Europe/Berlin"');
    const saved = await as(manager).put(`${base()}/draft`, schedule(morning)).expect(200);
    expect(saved.body.timeZone).toBe('Europe/Berlin');
    expect(saved.body.draft.document.zone).toBe('Europe/Berlin');
    expect(saved.body.draft.updatedByUserId).toBe(manager.userId);
  });

  it('programmes that do not exist or belong to another business are a 422 naming the blocks', async () => {
    const doc = schedule(morning, {
      overrides: [{ id: 'sale', from: '2026-04-01', to: '2026-04-02', action: 'modify', programme: foreignProgramme }],
    });
    doc.blocks.push({ ...doc.blocks[0], id: 'night', programme: 'no-such-programme' });
    const response = await as(manager).put(`${base()}/draft`, doc).expect(422);
    expect(response.body.code).toBe('UNKNOWN_PROGRAMME');
    expect(response.body.message).toContain('blocks[1].programme');
    expect(response.body.message).toContain('overrides[0].programme');
    expect([...response.body.details.programmeIds].sort()).toEqual([foreignProgramme, 'no-such-programme'].sort());
  });

  it('publishing keeps every version with its publisher; installers read, only managers and operators write', async () => {
    await as(installer).put(`${base()}/draft`, schedule(morning)).expect(403);
    await as(installer).post(`${base()}/publish`).expect(403);
    await as(foreignManager).get(base()).expect(404);
    await as(foreignManager).post(`${base()}/publish`).expect(404);

    await as(manager).put(`${base()}/draft`, schedule(morning)).expect(200);
    const v1 = await as(manager).post(`${base()}/publish`).expect(200);
    expect(v1.body).toEqual({ version: 1, planId: expect.any(String), publishedAt: '2026-03-20T09:00:00.000Z' });
    clock.set('2026-03-20T10:00:00.000Z');
    await as(operator)
      .put(`${base()}/draft`, schedule(morning, { exceptions: [] }))
      .expect(200);
    const v2 = await as(operator).post(`${base()}/publish`).expect(200);
    expect(v2.body.version).toBe(2);
    expect(v2.body.planId).not.toBe(v1.body.planId);

    const versions = await as(installer).get(`${base()}/versions`).expect(200);
    expect(versions.body).toEqual([
      {
        version: 2,
        publishedAt: '2026-03-20T10:00:00.000Z',
        publishedByUserId: operator.userId,
        planId: v2.body.planId,
        programmeIds: [morning],
      },
      {
        version: 1,
        publishedAt: '2026-03-20T09:00:00.000Z',
        publishedByUserId: manager.userId,
        planId: v1.body.planId,
        programmeIds: [morning],
      },
    ]);
    const one = await as(installer).get(`${base()}/versions/1`).expect(200);
    expect(one.body.document).toEqual({ ...schedule(morning), zone: 'Europe/Berlin' });
    await as(installer).get(`${base()}/versions/3`).expect(404);
    const head = await as(installer).get(base()).expect(200);
    expect(head.body.published).toMatchObject({ version: 2, planId: v2.body.planId });

    const audit = await as(operator).get(`/audit?entityType=zone&entityId=${zoneId}`).expect(200);
    const actions = (audit.body.items as { action: string; after: Record<string, unknown> }[]).map((i) => [
      i.action,
      i.after,
    ]);
    expect(actions).toContainEqual(['zone-schedule.publish', { version: 1, programmeIds: [morning] }]);
    expect(actions).toContainEqual(['zone-schedule.publish', { version: 2, programmeIds: [morning] }]);
  });

  it('conflicts: equal-priority overlaps of the draft in a window; bad windows are refused', async () => {
    const doc = schedule(morning);
    doc.blocks.push({
      ...doc.blocks[0],
      id: 'lunch',
      rule: { rrule: 'DTSTART:20260101T120000\nRRULE:FREQ=DAILY' },
      end: '13:00',
    });
    await as(manager).put(`${base()}/draft`, doc).expect(200);
    const found = await as(installer)
      .get(`${base()}/conflicts?from=2026-03-28T00:00:00Z&to=2026-03-30T00:00:00Z`)
      .expect(200);
    expect(found.body).toEqual({
      source: 'draft',
      version: null,
      conflicts: [
        // 12:00-13:00 Berlin: CET on the 28th, CEST from the 29th.
        {
          start: '2026-03-28T11:00:00.000Z',
          end: '2026-03-28T12:00:00.000Z',
          priority: 0,
          blocks: [
            { blockId: 'day', occurrence: '2026-03-28T08:00' },
            { blockId: 'lunch', occurrence: '2026-03-28T12:00' },
          ],
        },
        {
          start: '2026-03-29T10:00:00.000Z',
          end: '2026-03-29T11:00:00.000Z',
          priority: 0,
          blocks: [
            { blockId: 'day', occurrence: '2026-03-29T08:00' },
            { blockId: 'lunch', occurrence: '2026-03-29T12:00' },
          ],
        },
      ],
    });
    const reversed = await as(manager)
      .get(`${base()}/conflicts?from=2026-03-30T00:00:00Z&to=2026-03-28T00:00:00Z`)
      .expect(422);
    expect(reversed.body.details.scheduleCode).toBe('INVALID_WINDOW');
    const missing = await as(manager).get(`${base()}/conflicts?from=2026-03-30T00:00:00Z`).expect(400);
    expect(missing.body.message).toContain('to');
  });

  it('publishing without a draft is a 409', async () => {
    const response = await as(foreignManager).post(`/zones/${theirs.zoneId}/schedule/publish`).expect(409);
    expect(response.body.message).toContain('no draft');
  });
});
