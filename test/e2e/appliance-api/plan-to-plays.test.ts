import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  canonicalBytes,
  decryptToBuffer,
  loadKeystore,
  assemblePlan,
  loadSodium,
  planBodyRef,
  signRequest,
  systemClock,
  verifyDocument,
  type CheckinRequest,
  type CheckinResponse,
  type Keystore,
  type LicencePayload,
  type PlanBodyRef,
  type PlanCatalogueBody,
  type PlanEnvelope,
  type PlanPayload,
  type PlanTimelineBody,
  type PlayBatchResult,
  type PlayRecord,
  type Sodium,
  trackRecipientOf,
} from '@roomtone/provisioning';
import { APPLIANCE_CLI, call, runCli, signIn } from '../../support/hub-http';
import { startHubProcess, stopHubProcess, type HubProcess } from '../../support/hub-process';
import { requireTool } from '../../support/require-tool';

/*
 * Issue 5 "done when", over real HTTP against the built hub process (SQLite, demo seed with ffmpeg-made tracks):
 * programme + schedule -> publish -> an appliance enrolled with the built CLI checks in, verifies the signed plan,
 * downloads its encrypted track and decrypts it to the delivery rendition, resumes a broken download, streams a
 * preview, submits the same plays twice and sees them counted once; once revoked it gets nothing.
 */

jest.setTimeout(240_000);

type Headers = Record<string, string>;

/** One RFC 9421-signed request from the appliance, as raw bytes (downloads) or JSON. */
async function signed(
  base: string,
  sodium: Sodium,
  keystore: Keystore,
  method: string,
  path: string,
  options: { json?: unknown; headers?: Headers } = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer; json: () => unknown }> {
  const url = `${base}${path}`;
  const body = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json), 'utf8');
  const signature = signRequest(
    { method, url, body },
    {
      sodium,
      keyId: keystore.applianceId as string,
      secretKey: keystore.keys.signing.secretKey,
      clock: systemClock,
    },
  );
  const response = await fetch(url, {
    method,
    headers: {
      ...signature,
      ...(options.headers ?? {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    bytes,
    json: () => JSON.parse(bytes.toString('utf8')) as unknown,
  };
}

/** Chains plays as the appliance's play log does: hash = SHA-256 of the canonical record without `hash`. */
function chain(plays: Omit<PlayRecord, 'sequence' | 'prevHash' | 'hash'>[], first = 1): PlayRecord[] {
  let prevHash = '0'.repeat(64);
  return plays.map((play, i) => {
    const record = { ...play, sequence: first + i, prevHash } as Omit<PlayRecord, 'hash'>;
    const hash = createHash('sha256').update(canonicalBytes(record)).digest('hex');
    prevHash = hash;
    return { ...record, hash } as PlayRecord;
  });
}

describe('issue 5 end to end: programme, schedule, plan, encrypted delivery, preview and plays over HTTP', () => {
  let hub: HubProcess;
  let dataDir: string;
  let work: string;
  let sodium: Sodium;
  let password = '';

  beforeAll(async () => {
    requireTool('ffmpeg', 'ffmpeg');
    sodium = await loadSodium();
    dataDir = mkdtempSync(join(tmpdir(), 'roomtone-e2e-hub-'));
    work = mkdtempSync(join(tmpdir(), 'roomtone-e2e-device-'));
    hub = await startHubProcess({ ROOMTONE_DATA_DIR: dataDir, ROOMTONE_DEMO_SEED: 'true' });
    const deadline = Date.now() + 10_000;
    while (password === '' && Date.now() < deadline) {
      const line = hub.stdout.find((l) => /^\s+password\s+\S+$/.test(l));
      if (line) password = line.trim().split(/\s+/)[1];
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(password).not.toBe('');
  }, 180_000);

  afterAll(async () => {
    if (hub) await stopHubProcess(hub);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test('publish -> check in -> signed plan -> download, resume, preview -> plays counted once -> revoked gets nothing', async () => {
    const base = hub.baseUrl;
    const operator = await signIn(base, 'operator@demo.roomtone.test', password);
    const manager = await signIn(base, 'manager@demo.roomtone.test', password);
    const installer = await signIn(base, 'installer@demo.roomtone.test', password);

    const venues = await call<{ id: string; organisationId: string; timeZone: string }[]>(
      base,
      'GET',
      '/venues',
      manager,
    );
    const venue = venues.body[0];
    const zones = await call<{ id: string }[]>(base, 'GET', `/venues/${venue.id}/zones`, manager);
    const zoneId = zones.body[0].id;
    const tracks = await call<{ items: { id: string; title: string; durationMs: number }[] }>(
      base,
      'GET',
      '/tracks?limit=50',
      manager,
    );
    expect(tracks.status).toBe(200);
    const [first, second] = tracks.body.items;
    expect(second).toBeDefined();

    // The manager makes a programme (its plan invalidation is consumed with the licence's, below).
    const programme = await call<{ id: string }>(
      base,
      'POST',
      `/organisations/${venue.organisationId}/programmes`,
      manager,
      { name: 'All day', kind: 'ordered', trackIds: [first.id, second.id] },
    );
    expect(programme.status).toBe(201);
    // The operator licenses the venue for full tracks.
    const now = Date.now();
    const licence = await call(base, 'POST', `/venues/${venue.id}/licences`, operator, {
      tier: 'full',
      validFrom: new Date(now - 86_400_000).toISOString(),
      validUntil: new Date(now + 30 * 86_400_000).toISOString(),
      leaseDays: 7,
    });
    expect(licence.status).toBe(201);
    // The programme and the licence mark plans stale; the plan worker (every 5 s, oldest first) recompiles them. Wait
    // until it has, so that the plan published below stays the zone's current plan for the rest of the test.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const view = await call<{ plan: PlanPayload | null }>(base, 'GET', `/zones/${zoneId}/plan`, manager);
      if (view.body.plan?.licence != null) break;
      if (Date.now() > deadline) throw new Error('the plan worker did not recompile the zone after the licence');
      await new Promise((r) => setTimeout(r, 200));
    }

    // ... and a schedule that plays it all day, every day, and publishes it.
    const draft = await call(base, 'PUT', `/zones/${zoneId}/schedule/draft`, manager, {
      version: 1,
      zone: venue.timeZone,
      blocks: [
        {
          id: 'all-day',
          rule: { rrule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY' },
          duration: 'P1D',
          programme: programme.body.id,
          volume: 60,
        },
      ],
    });
    expect(draft.status).toBe(200);
    const before = await call<unknown[]>(base, 'GET', `/zones/${zoneId}/schedule/versions`, manager);
    expect(before.status).toBe(200);
    const published = await call<{ version: number; planId: string }>(
      base,
      'POST',
      `/zones/${zoneId}/schedule/publish`,
      manager,
    );
    expect(published.status).toBe(200);
    expect(published.body.version).toBe(before.body.length + 1);

    // The installer enrols an appliance with the built CLI (keys made on the device).
    const issued = await call<{ code: string }>(
      base,
      'POST',
      `/venues/${venue.id}/zones/${zoneId}/enrolment-codes`,
      installer,
      {},
    );
    expect(issued.status).toBe(201);
    const keystorePath = join(work, 'keystore.json');
    const enrolled = await runCli(APPLIANCE_CLI, ['enroll', '--hub', base, '--code', issued.body.code], {
      ROOMTONE_KEYSTORE: keystorePath,
    });
    expect(enrolled.stderr).toBe('');
    expect(enrolled.code).toBe(0);
    const keystore = await loadKeystore(sodium, keystorePath);
    const hubKey = keystore.hubPublicKey as Uint8Array;

    // Check-in: signed hub time, a new plan waiting.
    const status: CheckinRequest = {
      softwareVersion: 'e2e',
      clock: new Date().toISOString(),
      uptimeSeconds: 1,
      state: 'starting',
      planId: null,
      licenceEtag: null,
      nowPlaying: null,
      cache: { tracks: 0, bytes: 0, budgetBytes: 1e9, missing: 0 },
      disk: { freeBytes: 1e10 },
      playLog: { pending: 0, lastSequence: 0 },
      errors: [],
    };
    const checkin = await signed(base, sodium, keystore, 'POST', '/appliance/v1/checkin', { json: status });
    expect(checkin.status).toBe(200);
    const answer = checkin.json() as CheckinResponse;
    expect(verifyDocument(sodium, answer.time, hubKey)).toMatchObject({ applianceId: keystore.applianceId });
    expect(answer.plan).toMatchObject({ id: published.body.planId, changed: true });
    expect(answer.licence.etag).not.toBeNull();

    // The signed plan: verifies against the pinned hub key, covers now with the programme, lists both tracks.
    const planResponse = await signed(base, sodium, keystore, 'GET', '/appliance/v1/plan');
    expect(planResponse.status).toBe(200);
    const envelope = verifyDocument(sodium, planResponse.json(), hubKey) as unknown as PlanEnvelope;
    expect(envelope).toMatchObject({ type: 'roomtone.plan', formatVersion: 2, zoneId, planId: published.body.planId });
    // Its bodies: exact bytes the envelope's hashes commit to.
    const bodyOf = async (ref: PlanBodyRef): Promise<unknown> => {
      const response = await signed(base, sodium, keystore, 'GET', `/appliance/v1/plan-bodies/${ref.sha256}`);
      expect(response.status).toBe(200);
      expect(planBodyRef(response.bytes)).toEqual(ref);
      return JSON.parse(response.bytes.toString('utf8'));
    };
    const plan = assemblePlan(
      envelope,
      (await bodyOf(envelope.timeline)) as PlanTimelineBody,
      (await bodyOf(envelope.catalogue)) as PlanCatalogueBody,
    );
    expect(plan.tzdbVersion).toBe(process.versions.tz);
    const current = plan.intervals.find((i) => Date.parse(i.start) <= Date.now() && Date.now() < Date.parse(i.end));
    expect(current).toMatchObject({ programmeId: programme.body.id, volume: 60, blockId: 'all-day' });
    expect(plan.tracks.map((t) => t.id).sort()).toEqual([first.id, second.id].sort());
    const notModified = await signed(base, sodium, keystore, 'GET', '/appliance/v1/plan', {
      headers: { 'if-none-match': planResponse.headers.etag },
    });
    expect(notModified.status).toBe(304);
    const licenceDoc = await signed(base, sodium, keystore, 'GET', '/appliance/v1/licence');
    expect(licenceDoc.status).toBe(200);
    expect(verifyDocument(sodium, licenceDoc.json(), hubKey) as unknown as LicencePayload).toMatchObject({
      type: 'roomtone.licence',
      zoneId,
      terms: { tier: 'full', leaseDays: 7 },
    });

    // Download: encrypted for this appliance, exactly the advertised size, decrypts to the delivery rendition.
    const trackDoc = plan.tracks.find((t) => t.id === first.id) as PlanPayload['tracks'][number];
    const full = await signed(base, sodium, keystore, 'GET', `/appliance/v1/tracks/${first.id}`);
    expect(full.status).toBe(200);
    expect(full.bytes.length).toBe(trackDoc.downloadBytes);
    const recipient = trackRecipientOf(keystore);
    const delivery = readFileSync(join(dataDir, 'media/tracks', first.id, 'delivery.mp3'));
    const plain = await decryptToBuffer(sodium, full.bytes, recipient);
    expect(Buffer.compare(Buffer.from(plain), delivery)).toBe(0);
    expect(createHash('sha256').update(delivery).digest('hex')).toBe(trackDoc.sha256);

    // A broken download resumes with Range: the pieces are the same bytes.
    const head = await signed(base, sodium, keystore, 'GET', `/appliance/v1/tracks/${first.id}`, {
      headers: { range: 'bytes=0-99999' },
    });
    expect(head.status).toBe(206);
    const tail = await signed(base, sodium, keystore, 'GET', `/appliance/v1/tracks/${first.id}`, {
      headers: { range: 'bytes=100000-', 'if-range': full.headers.etag },
    });
    expect(tail.status).toBe(206);
    expect(Buffer.compare(Buffer.concat([head.bytes, tail.bytes]), full.bytes)).toBe(0);

    // Preview stream: the preview rendition.
    const preview = await signed(base, sodium, keystore, 'GET', `/appliance/v1/tracks/${first.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toMatch(/^audio\/mpeg/);
    expect(Buffer.compare(preview.bytes, readFileSync(join(dataDir, 'media/tracks', first.id, 'preview.mp3')))).toBe(0);

    // Plays: the same batch twice, then a batch overlapping it, count each play once.
    const startedAt = Date.now() - 600_000;
    const plays = chain(
      [first, second, first].map((t, i) => ({
        playId: `00000000-0000-4000-8000-00000000000${i + 1}`,
        trackId: t.id,
        planId: plan.planId,
        programmeId: programme.body.id,
        blockId: 'all-day',
        rule: current?.rule ?? null,
        startedAt: new Date(startedAt + i * 120_000).toISOString(),
        secondsAudible: Math.min(100, Math.floor(t.durationMs / 1000) - 1),
        source: 'scheduled' as const,
        quality: 'full' as const,
        offline: false,
        ended: 'completed' as const,
      })),
    );
    const once = await signed(base, sodium, keystore, 'POST', '/appliance/v1/plays', {
      json: { plays: plays.slice(0, 2) },
    });
    expect(once.status).toBe(200);
    expect(once.json()).toMatchObject({ accepted: 2, duplicates: 0, storedThrough: 2, flagged: [], gaps: [] });
    const twice = await signed(base, sodium, keystore, 'POST', '/appliance/v1/plays', {
      json: { plays: plays.slice(0, 2) },
    });
    expect(twice.json()).toMatchObject({ accepted: 0, duplicates: 2, storedThrough: 2 });
    const overlapping = await signed(base, sodium, keystore, 'POST', '/appliance/v1/plays', { json: { plays } });
    expect(overlapping.json() as PlayBatchResult).toMatchObject({ accepted: 1, duplicates: 2, storedThrough: 3 });
    const reported = await call<{ plays: { playId: string }[] }>(base, 'GET', `/venues/${venue.id}/plays`, manager);
    expect(reported.status).toBe(200);
    expect(reported.body.plays.map((p) => p.playId).sort()).toEqual(plays.map((p) => p.playId).sort());

    // Revoked: every appliance call is refused.
    const revoked = await call(base, 'POST', `/appliances/${keystore.applianceId}/revoke`, manager, { reason: 'e2e' });
    expect(revoked.status).toBe(200);
    for (const [method, path] of [
      ['POST', '/appliance/v1/checkin'],
      ['GET', '/appliance/v1/plan'],
      ['GET', '/appliance/v1/licence'],
      ['GET', `/appliance/v1/tracks/${first.id}`],
      ['GET', `/appliance/v1/tracks/${first.id}/preview`],
    ] as const) {
      const refused = await signed(base, sodium, keystore, method, path, method === 'POST' ? { json: status } : {});
      expect({ path, status: refused.status }).toEqual({ path, status: 401 });
    }
  });
});
