import { loadSodium, type Keystore, type PlayRecord, type Sodium } from '@roomtone/provisioning';
import { PasswordHasher } from '../../../hub/src/auth/password/password-hasher';
import { Clock, FixedClock } from '../../../hub/src/common/time/clock';
import { PlanTracks, type PlanQuestion } from '../../../hub/src/plays/plan-tracks';
import { PlaysRepository } from '../../../hub/src/plays/plays.repository';
import { PlaysService } from '../../../hub/src/plays/plays.service';
import { ZonesRepository } from '../../../hub/src/tenancy';
import { databaseKinds, freshDatabase, type FreshDatabase } from '../../support/databases';
import { startTestHub, type TestHub } from '../../support/hub-app';
import { cheapHasher, createTenant, createUser, type TenantFixture } from '../authz/support/fixtures';
import {
  call,
  deviceClock,
  enrolDevice,
  issueCode,
  listen,
  signedCall,
  signedHeaders,
  userHeaders,
  type UserHeaders,
} from '../appliances/support';
import { chain, freshConnectionQuery, insertTrack, playUuid } from './support';

const NOW = '2026-11-24T12:00:00.000Z';

/**
 * The not-in-plan check asks PlanTracks; until hub/src/plans is wired in, this stand-in answers from a table the test
 * controls (plan id -> tracks), exactly as the seam's contract says: null when no plan is known.
 */
class TablePlanTracks extends PlanTracks {
  readonly plans = new Map<string, Set<string>>();
  inPlans(_zoneId: string | null, questions: readonly PlanQuestion[]): Promise<(boolean | null)[]> {
    return Promise.resolve(
      questions.map((q) => {
        const tracks = q.planId === null ? undefined : this.plans.get(q.planId);
        return tracks === undefined ? null : tracks.has(q.trackId);
      }),
    );
  }
}

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  flagged: { playId: string; flags: string[] }[];
  gaps: { from: number; to: number }[];
  storedThrough: number;
  conflicts: { playId: string; sequence: number; reason: string }[];
}

describe.each(databaseKinds())('play intake on %s', (kind) => {
  let db: FreshDatabase;
  let hub: TestHub;
  let clock: FixedClock;
  let sodium: Sodium;
  let base: string;
  let tenant: TenantFixture;
  let operator: UserHeaders;
  let trackId: string;
  let shortTrackId: string;
  const planTracks = new TablePlanTracks();
  let zoneCounter = 0;
  let tagCounter = 0;

  beforeAll(async () => {
    sodium = await loadSodium();
    db = await freshDatabase(kind);
    clock = new FixedClock(NOW);
    hub = await startTestHub(db, {
      customise: (b) =>
        b
          .overrideProvider(Clock)
          .useValue(clock)
          .overrideProvider(PasswordHasher)
          .useValue(cheapHasher)
          .overrideProvider(PlanTracks)
          .useValue(planTracks),
    });
    base = await listen(hub);
    tenant = await createTenant(hub.app, 'Alpha');
    await createUser(hub.app, 'op@hub.test', true);
    operator = await userHeaders(hub, 'op@hub.test');
    trackId = await insertTrack(hub.app, tenant.labelId, {
      title: 'Long Song',
      durationMs: 240_000,
      isrc: 'DEA012600001',
    });
    shortTrackId = await insertTrack(hub.app, tenant.labelId, { title: 'Short Song', durationMs: 60_000 });
  });

  afterAll(async () => {
    await hub?.close();
    await db?.drop();
  });

  /** A new appliance in a new zone of the venue (so each test has its own sequence numbers and zone timeline). */
  async function newDevice(): Promise<{ keystore: Keystore; zoneId: string; tag: number }> {
    zoneCounter += 1;
    tagCounter += 1;
    const zone = await hub.app.get(ZonesRepository).create(tenant.venueId, `Zone ${zoneCounter}`);
    const code = await issueCode(base, operator, tenant.venueId, zone.id);
    const keystore = await enrolDevice(base, sodium, deviceClock(clock), code);
    return { keystore, zoneId: zone.id, tag: tagCounter };
  }

  const post = (keystore: Keystore, body: unknown) =>
    signedCall(sodium, deviceClock(clock), keystore, 'POST', `${base}/appliance/v1/plays`, body);
  const submit = async (keystore: Keystore, plays: PlayRecord[]): Promise<BatchAnswer> => {
    const answer = await post(keystore, { plays });
    expect(answer.status).toBe(200);
    return answer.body as unknown as BatchAnswer;
  };
  const storedCount = async (applianceId: string): Promise<number> => {
    const rows = await freshConnectionQuery<{ n: number | string }>(
      db,
      'SELECT COUNT(*) AS n FROM plays WHERE appliance_id = $1',
      [applianceId],
    );
    return Number(rows[0].n);
  };

  it('stores a batch with catalogue snapshots and venue time zone, visible from a fresh connection as soon as the 200 arrives; the batch row keeps digest and signature', async () => {
    const { keystore, zoneId, tag } = await newDevice();
    const plays = chain({ tag, from: 1, to: 3, trackId, startAt: '2026-11-24T08:00:00.000Z' });
    const answer = await submit(keystore, plays);
    expect(answer).toEqual({ accepted: 3, duplicates: 0, flagged: [], gaps: [], storedThrough: 3, conflicts: [] });

    const rows = await freshConnectionQuery<Record<string, unknown>>(
      db,
      'SELECT * FROM plays WHERE appliance_id = $1 ORDER BY sequence',
      [keystore.applianceId],
    );
    expect(rows).toHaveLength(3);
    expect({
      ...rows[0],
      started_at: Number(rows[0].started_at),
      ends_at: Number(rows[0].ends_at),
      received_at: Number(rows[0].received_at),
      offline: Boolean(rows[0].offline),
      sequence: Number(rows[0].sequence),
    }).toEqual({
      appliance_id: keystore.applianceId,
      play_id: plays[0].playId,
      sequence: 1,
      zone_id: zoneId,
      venue_id: tenant.venueId,
      track_id: trackId,
      isrc: 'DEA012600001',
      title: 'Long Song',
      artist: 'The Testers',
      album: 'Fixtures',
      label: 'Test Records',
      started_at: Date.parse('2026-11-24T08:00:00.000Z'),
      ends_at: Date.parse('2026-11-24T08:00:00.000Z') + 179_500,
      seconds_audible: 179.5,
      time_zone: 'Europe/Berlin',
      block_id: 'morning',
      rule: 'FREQ=DAILY;BYHOUR=8',
      programme_id: null,
      plan_id: null,
      source: 'scheduled',
      quality: 'full',
      offline: false,
      ended: 'completed',
      prev_hash: '0'.repeat(64),
      hash: plays[0].hash,
      flags: '',
      received_at: Date.parse(NOW),
      batch_id: expect.any(String),
    });
    const batches = await freshConnectionQuery<Record<string, unknown>>(
      db,
      'SELECT * FROM play_batches WHERE appliance_id = $1',
      [keystore.applianceId],
    );
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ id: rows[0].batch_id });
    expect(batches[0].digest).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
    expect(batches[0].signature_input).toContain(`keyid="${keystore.applianceId}"`);
    expect(batches[0].signature).toMatch(/^sig1=:/);
    expect([batches[0].count, batches[0].accepted, batches[0].duplicates, batches[0].conflicts].map(Number)).toEqual([
      3, 3, 0, 0,
    ]);
  });

  it('the same batch twice is counted once; a half-overlapping resubmission stores only the new half', async () => {
    const { keystore, tag } = await newDevice();
    const plays = chain({ tag, from: 1, to: 6, trackId, startAt: '2026-11-24T08:00:00.000Z' });
    expect(await submit(keystore, plays.slice(0, 4))).toMatchObject({ accepted: 4, duplicates: 0, storedThrough: 4 });
    expect(await submit(keystore, plays.slice(0, 4))).toMatchObject({ accepted: 0, duplicates: 4, storedThrough: 4 });
    expect(await submit(keystore, plays.slice(2, 6))).toEqual({
      accepted: 2,
      duplicates: 2,
      flagged: [],
      gaps: [],
      storedThrough: 6,
      conflicts: [],
    });
    expect(await storedCount(keystore.applianceId as string)).toBe(6);
  });

  it('two identical requests at the same moment store the batch once (unique keys + ON CONFLICT DO NOTHING)', async () => {
    const { keystore, tag } = await newDevice();
    const plays = chain({ tag, from: 1, to: 300, trackId, startAt: '2026-11-20T00:00:00.000Z' });
    const answers = await Promise.all([submit(keystore, plays), submit(keystore, plays), submit(keystore, plays)]);
    expect(answers.map((a) => a.accepted).reduce((s, n) => s + n, 0)).toBe(300);
    expect(answers.map((a) => a.duplicates).reduce((s, n) => s + n, 0)).toBe(600);
    expect(answers.every((a) => a.storedThrough === 300)).toBe(true);
    expect(await storedCount(keystore.applianceId as string)).toBe(300);
  });

  it('the same signed request sent three times at once, then again, is stored once: one 200, every other a 401 replay', async () => {
    const { keystore, tag } = await newDevice();
    const applianceId = keystore.applianceId as string;
    const url = `${base}/appliance/v1/plays`;
    const body = Buffer.from(JSON.stringify({ plays: chain({ tag, from: 1, to: 50, trackId, startAt: NOW }) }));
    const headers = signedHeaders(sodium, deviceClock(clock), keystore, 'POST', url, body);
    const send = async () => {
      const r = await fetch(url, { method: 'POST', headers, body });
      return `${r.status} ${(JSON.parse(await r.text()) as { code?: string }).code ?? ''}`;
    };
    const outcomes = await Promise.all([send(), send(), send()]);
    expect(outcomes.sort()).toEqual(['200 ', '401 SIGNATURE_NONCE_REPLAYED', '401 SIGNATURE_NONCE_REPLAYED']);
    expect(await send()).toBe('401 SIGNATURE_NONCE_REPLAYED');
    expect(await storedCount(applianceId)).toBe(50);
    const batches = await freshConnectionQuery(db, 'SELECT id FROM play_batches WHERE appliance_id = $1', [
      applianceId,
    ]);
    expect(batches).toHaveLength(1);
  });

  it("a replay racing the original is refused where the nonce is stored, in the batch's transaction", async () => {
    // The guard leaves the nonce to the write: the intake transaction decides (SQLite: the writer
    // thread's savepoint; PostgreSQL: the unique key). Driven below the guard so the race is certain.
    const { keystore, tag, zoneId } = await newDevice();
    const applianceId = keystore.applianceId as string;
    const plays = chain({ tag, from: 1, to: 5, trackId, startAt: NOW });
    const input = (batchId: string) => ({
      applianceId,
      venueId: tenant.venueId,
      zoneId,
      plays,
      inPlan: plays.map(() => null),
      batch: { id: batchId, digest: 'd', signatureInput: 'i', signature: 's' },
      nowMs: Date.parse(NOW),
    });
    const nonce = { keyId: applianceId, nonce: `race-${tag}`, expiresMs: Date.parse(NOW) + 300_000 };
    const repository = hub.app.get(PlaysRepository);
    const outcomes = await Promise.allSettled([
      repository.intake(nonce, input(playUuid(tag, 901))),
      repository.intake(nonce, input(playUuid(tag, 902))),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({
      code: 'SIGNATURE_NONCE_REPLAYED',
      details: { check: 'SIGNATURE_NONCE_REPLAYED' },
    });
    expect(await storedCount(applianceId)).toBe(5);
    const batches = await freshConnectionQuery(db, 'SELECT id FROM play_batches WHERE appliance_id = $1', [
      applianceId,
    ]);
    expect(batches).toHaveLength(1);
  });

  it('gaps: missing sequences are recorded, storedThrough stops before the first; late plays close them', async () => {
    const { keystore, tag } = await newDevice();
    const plays = chain({ tag, from: 1, to: 9, trackId, startAt: '2026-11-24T08:00:00.000Z' });
    const at = (...sequences: number[]) => sequences.map((s) => plays[s - 1]);
    expect(await submit(keystore, at(1, 2, 3))).toMatchObject({ gaps: [], storedThrough: 3 });
    expect(await submit(keystore, at(6, 7, 9))).toMatchObject({
      accepted: 3,
      gaps: [
        { from: 4, to: 5 },
        { from: 8, to: 8 },
      ],
      storedThrough: 3,
    });
    const gapRows = () =>
      freshConnectionQuery<{ from_sequence: number; to_sequence: number }>(
        db,
        'SELECT from_sequence, to_sequence FROM play_gaps WHERE appliance_id = $1 ORDER BY from_sequence',
        [keystore.applianceId],
      ).then((rows) => rows.map((r) => [Number(r.from_sequence), Number(r.to_sequence)]));
    expect(await gapRows()).toEqual([
      [4, 5],
      [8, 8],
    ]);
    expect(await submit(keystore, at(4))).toMatchObject({
      gaps: [
        { from: 5, to: 5 },
        { from: 8, to: 8 },
      ],
      storedThrough: 4,
    });
    expect(await submit(keystore, at(5, 8))).toMatchObject({ accepted: 2, gaps: [], storedThrough: 9 });
    expect(await gapRows()).toEqual([]);
    // Check-in's number: the exported service gives the same.
    expect(await hub.app.get(PlaysService).storedThrough(keystore.applianceId as string)).toBe(9);
  });

  it('flags each impossible play and stores it: overlap, longer-than-track, future, not-in-plan, chain-mismatch, unknown-track', async () => {
    const { keystore, tag } = await newDevice();
    const planId = '0193a000-0000-7000-8000-00000000beef';
    planTracks.plans.set(planId, new Set([trackId]));
    const unknownTrack = '0193a000-0000-7000-8000-0000000dead0';
    // 1 clean; 2 overlaps 1 by 60 s; 3 longer than the 60 s track; 4 starts 2 min in the future; 5 names a plan
    // without its track; 6 has a wrong hash; 7 an unknown track.
    const plays = chain({
      tag,
      from: 1,
      to: 7,
      trackId,
      startAt: '2026-11-24T09:00:00.000Z',
      spacingS: 300,
      edit: (r) => {
        if (r.sequence === 2) r.startedAt = '2026-11-24T09:02:00.000Z';
        if (r.sequence === 3) Object.assign(r, { trackId: shortTrackId, secondsAudible: 62.5 });
        if (r.sequence === 4) r.startedAt = '2026-11-24T12:02:00.000Z';
        if (r.sequence === 5) Object.assign(r, { trackId: shortTrackId, planId, secondsAudible: 50 });
        if (r.sequence === 7) r.trackId = unknownTrack;
      },
    });
    plays[5] = { ...plays[5], hash: 'f'.repeat(64) };
    // 6 carries a wrong hash; 7's prevHash is the true hash of 6, so it does not match the hash stored for 6 either.
    const answer = await submit(keystore, plays);
    expect(answer.accepted).toBe(7);
    const byId = new Map(answer.flagged.map((f) => [f.playId, f.flags]));
    expect(byId.get(plays[0].playId)).toEqual(['overlap']);
    expect(byId.get(plays[1].playId)).toEqual(['overlap']);
    expect(byId.get(plays[2].playId)).toEqual(['longer-than-track']);
    expect(byId.get(plays[3].playId)).toEqual(['future']);
    expect(byId.get(plays[4].playId)).toEqual(['not-in-plan']);
    expect(byId.get(plays[5].playId)).toEqual(['chain-mismatch']);
    expect(byId.get(plays[6].playId)).toEqual(['chain-mismatch', 'unknown-track']);
    expect(byId.size).toBe(7);
    const stored = await freshConnectionQuery<{ sequence: number; flags: string; title: string | null }>(
      db,
      'SELECT sequence, flags, title FROM plays WHERE appliance_id = $1 ORDER BY sequence',
      [keystore.applianceId],
    );
    expect(stored.map((r) => [Number(r.sequence), r.flags, r.title])).toEqual([
      [1, 'overlap', 'Long Song'],
      [2, 'overlap', 'Long Song'],
      [3, 'longer-than-track', 'Short Song'],
      [4, 'future', 'Long Song'],
      [5, 'not-in-plan', 'Short Song'],
      [6, 'chain-mismatch', 'Long Song'],
      [7, 'chain-mismatch,unknown-track', null],
    ]);
    // A later batch overlapping a STORED play of the zone is flagged too (one query for the zone's neighbours).
    const later = chain({ tag, from: 8, to: 8, trackId, startAt: '2026-11-24T09:01:00.000Z', previous: plays[6].hash });
    expect((await submit(keystore, later)).flagged).toEqual([{ playId: later[0].playId, flags: ['overlap'] }]);
    // A crossfade (12 s or less of overlap) is not an overlap: 10 s over the end of 7 (09:30, 179.5 s).
    const faded = chain({
      tag,
      from: 9,
      to: 9,
      trackId,
      startAt: new Date(Date.parse('2026-11-24T09:30:00.000Z') + 179_500 - 10_000).toISOString(),
      previous: later[0].hash,
    });
    expect((await submit(keystore, faded)).flagged).toEqual([]);
  });

  it('a play id resubmitted with different content, or a sequence reused by another play, is a conflict: nothing new stored, the stored play stands', async () => {
    const { keystore, tag } = await newDevice();
    const plays = chain({ tag, from: 1, to: 2, trackId, startAt: '2026-11-24T08:00:00.000Z' });
    await submit(keystore, plays);
    const changed = chain({
      tag,
      from: 1,
      to: 3,
      trackId,
      startAt: '2026-11-24T08:00:00.000Z',
      edit: (r) => {
        if (r.sequence === 1) r.secondsAudible = 12;
        if (r.sequence === 2) r.playId = playUuid(tag, 902);
      },
    });
    const answer = await submit(keystore, changed);
    expect(answer).toMatchObject({ accepted: 1, duplicates: 0, storedThrough: 3 });
    expect(answer.conflicts).toEqual([
      { playId: plays[0].playId, sequence: 1, reason: expect.stringContaining('already stored') },
      { playId: playUuid(tag, 902), sequence: 2, reason: expect.stringContaining(`as play ${plays[1].playId}`) },
    ]);
    const stored = await freshConnectionQuery<{ sequence: number; seconds_audible: number; play_id: string }>(
      db,
      'SELECT sequence, seconds_audible, play_id FROM plays WHERE appliance_id = $1 ORDER BY sequence',
      [keystore.applianceId],
    );
    expect(stored.map((r) => [Number(r.sequence), Number(r.seconds_audible), r.play_id])).toEqual([
      [1, 179.5, plays[0].playId],
      [2, 179.5, plays[1].playId],
      [3, 179.5, changed[2].playId],
    ]);
    const [batch] = await freshConnectionQuery<{ conflicts: number }>(
      db,
      'SELECT conflicts FROM play_batches WHERE appliance_id = $1 AND conflicts > 0',
      [keystore.applianceId],
    );
    expect(Number(batch.conflicts)).toBe(2);
  });

  it('400 names the play index and field and stores nothing; 413 above 1000 plays', async () => {
    const { keystore, tag } = await newDevice();
    const plays = chain({ tag, from: 1, to: 3, trackId, startAt: '2026-11-24T08:00:00.000Z' });
    const bad = plays.map((p) => ({ ...p })) as Record<string, unknown>[];
    bad[1].startedAt = 'yesterday';
    bad[2].secondsAudible = -1;
    bad[2].colour = 'blue';
    const refused = await post(keystore, { plays: bad });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(refused.body.message).toContain('plays[1].startedAt');
    expect((refused.body.details as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual([
      'plays[1].startedAt',
      'plays[2].secondsAudible',
      'plays[2].colour',
    ]);
    expect((await post(keystore, { plays: 'none' })).status).toBe(400);
    const many = chain({ tag, from: 1, to: 1001, trackId, startAt: '2026-11-01T00:00:00.000Z' });
    const tooMany = await post(keystore, { plays: many });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { max: 1000, count: 1001 } });
    expect(await storedCount(keystore.applianceId as string)).toBe(0);
    // 1000 plays (the largest batch) fit the body limit and are stored.
    expect(await submit(keystore, many.slice(0, 1000))).toMatchObject({ accepted: 1000, storedThrough: 1000 });
  });

  it('a revoked appliance gets 401 and stores nothing', async () => {
    const { keystore, tag } = await newDevice();
    const revoked = await call(base, 'POST', `/appliances/${keystore.applianceId}/revoke`, {
      headers: operator,
      json: { reason: 'stolen' },
    });
    expect(revoked.status).toBe(200);
    const answer = await post(keystore, { plays: chain({ tag, from: 1, to: 2, trackId, startAt: NOW }) });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'SIGNATURE_KEY_REVOKED' });
    expect(await storedCount(keystore.applianceId as string)).toBe(0);
  });

  it("reports: a venue's plays paged and filtered for its manager; a track's plays per UTC day for its rights owner; others get 404/403", async () => {
    const { keystore, zoneId, tag } = await newDevice();
    const plays = chain({
      tag,
      from: 1,
      to: 5,
      trackId: shortTrackId,
      startAt: '2026-10-30T23:58:00.000Z',
      spacingS: 61,
      audibleS: 59,
      edit: (r) => {
        if (r.sequence === 5) r.secondsAudible = 90;
      },
    });
    await submit(keystore, plays);
    const manager = await userHeaders(hub, tenant.users.venue_manager.email);
    const page1 = await call(base, 'GET', `/venues/${tenant.venueId}/plays?zoneId=${zoneId}&limit=3`, {
      headers: manager,
    });
    expect(page1.status).toBe(200);
    const first = page1.body as { plays: { sequence: number; title: string }[]; nextCursor: string };
    expect(first.plays.map((p) => p.sequence)).toEqual([1, 2, 3]);
    expect(first.plays[0]).toMatchObject({ title: 'Short Song', timeZone: 'Europe/Berlin', flags: [] });
    const page2 = await call(
      base,
      'GET',
      `/venues/${tenant.venueId}/plays?zoneId=${zoneId}&limit=3&cursor=${first.nextCursor}`,
      { headers: manager },
    );
    expect((page2.body as { plays: { sequence: number }[]; nextCursor: null }).plays.map((p) => p.sequence)).toEqual([
      4, 5,
    ]);
    expect(page2.body.nextCursor).toBeNull();
    const flagged = await call(base, 'GET', `/venues/${tenant.venueId}/plays?zoneId=${zoneId}&flagged=true`, {
      headers: manager,
    });
    expect((flagged.body as { plays: { sequence: number; flags: string[] }[] }).plays).toMatchObject([
      { sequence: 5, flags: ['longer-than-track'] },
    ]);
    const window = await call(
      base,
      'GET',
      `/venues/${tenant.venueId}/plays?zoneId=${zoneId}&from=2026-10-31T00:00:00Z&to=2026-10-31T00:02:00Z`,
      { headers: manager },
    );
    expect((window.body as { plays: { sequence: number }[] }).plays.map((p) => p.sequence)).toEqual([3, 4]);
    expect((await call(base, 'GET', `/venues/${tenant.venueId}/plays?from=soon`, { headers: manager })).status).toBe(
      400,
    );

    const owner = await userHeaders(hub, tenant.users.rights_owner.email);
    const summary = await call(base, 'GET', `/tracks/${shortTrackId}/plays?from=2026-10-30&to=2026-10-31`, {
      headers: owner,
    });
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      trackId: shortTrackId,
      from: '2026-10-30',
      to: '2026-10-31',
      total: { plays: 5, flagged: 1, secondsAudible: 59 * 4 + 90 },
      days: [
        { day: '2026-10-30', plays: 2, flagged: 0, secondsAudible: 59 * 2 },
        { day: '2026-10-31', plays: 3, flagged: 1, secondsAudible: 59 * 2 + 90 },
      ],
    });
    expect((await call(base, 'GET', `/tracks/${shortTrackId}/plays`, { headers: manager })).status).toBe(403);
    const other = await createTenant(hub.app, 'Beta');
    const stranger = await userHeaders(hub, other.users.rights_owner.email);
    expect((await call(base, 'GET', `/tracks/${shortTrackId}/plays`, { headers: stranger })).status).toBe(404);
    const otherManager = await userHeaders(hub, other.users.venue_manager.email);
    expect((await call(base, 'GET', `/venues/${tenant.venueId}/plays`, { headers: otherManager })).status).toBe(404);
  });
});
