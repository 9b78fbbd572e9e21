import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  signDocument,
  type Clock as ProvisioningClock,
  type Keystore,
  type Sodium,
  splitPlan,
  type HubSigningKey,
  type JsonValue,
  type PlanPayload,
  type PlanTrackDoc,
  trackRecipientOf,
} from '@roomtone/provisioning';
import { TrackCache } from '../../../appliance/src/cache/track-cache';
import { SqlitePlayLog } from '../../../appliance/src/playlog/play-log';
import { HubClient } from '../../../appliance/src/sync/hub-client';
import { SyncService } from '../../../appliance/src/sync/sync-service';
import { ManualClocks } from '../../../appliance/src/time';
import type { CurrentPlan, CurrentPlanId, CurrentPlans } from '../../../hub/src/appliance-api/ports';
import type { PlanBodies } from '../../../hub/src/appliance-api/documents/plan-bodies';
import type { ZonePlanTracks } from '../../../hub/src/appliance-api/delivery/zone-plan-tracks';

/**
 * A zone's plan as the test sets it, split into a format 2 envelope (signed with the hub's real key) and bodies,
 * served by the real plan and plan-body endpoints; delivery sees the same track ids. (The plan compiler has its own
 * suites; these tests are about the appliance's sync.)
 */
export class SignedTestPlans implements CurrentPlans, ZonePlanTracks, PlanBodies {
  readonly plans = new Map<string, { plan: PlanPayload; current: CurrentPlan; bodies: string[] }>();
  readonly bodies = new Map<string, string>();
  key: HubSigningKey | null = null;

  set(plan: PlanPayload): void {
    if (!this.key) throw new Error('SignedTestPlans.key is not set');
    const { envelope, bodies } = splitPlan(plan);
    const json = JSON.stringify(signDocument(this.key, envelope as unknown as JsonValue));
    const etag = `"${createHash('sha256').update(json).digest('hex').slice(0, 32)}"`;
    this.bodies.set(envelope.timeline.sha256, bodies.timeline);
    this.bodies.set(envelope.catalogue.sha256, bodies.catalogue);
    this.plans.set(plan.zoneId, {
      plan,
      current: { planId: plan.planId, etag, json },
      bodies: [envelope.timeline.sha256, envelope.catalogue.sha256],
    });
  }

  body(sha256: string): Promise<string | null> {
    return Promise.resolve(this.bodies.get(sha256) ?? null);
  }

  bodyReferenced(zoneId: string, sha256: string): Promise<boolean> {
    return Promise.resolve(this.plans.get(zoneId)?.bodies.includes(sha256) ?? false);
  }

  current(zoneId: string): Promise<CurrentPlan | null> {
    return Promise.resolve(this.plans.get(zoneId)?.current ?? null);
  }

  currentId(zoneId: string): Promise<CurrentPlanId | null> {
    const current = this.plans.get(zoneId)?.current;
    return Promise.resolve(current === undefined ? null : { planId: current.planId, etag: current.etag });
  }

  trackIds(zoneId: string): Promise<ReadonlySet<string> | null> {
    const entry = this.plans.get(zoneId);
    return Promise.resolve(entry ? new Set(entry.plan.tracks.map((t) => t.id)) : null);
  }
}

/** FORMAT.md: H + L + 16 n for 36-character appliance and track ids and 64 KiB chunks. */
export function encryptedSize(plainBytes: number): number {
  return 196 + 36 + 36 + plainBytes + 16 * Math.max(1, Math.ceil(plainBytes / 65_536));
}

/** A one-track plan for `zoneId` over [from, from + 14 days): one programme of the track, played from `from`. */
export function planFor(
  zoneId: string,
  venueId: string,
  from: string,
  track: { id: string; delivery: Buffer },
): PlanPayload {
  const doc: PlanTrackDoc = {
    id: track.id,
    title: 'Sync test',
    artist: null,
    album: null,
    label: null,
    isrc: null,
    durationMs: 4_000,
    loudnessLufs: null,
    truePeakDbtp: null,
    cueInMs: null,
    cueOutMs: null,
    explicit: false,
    downloadBytes: encryptedSize(track.delivery.length),
    sha256: createHash('sha256').update(track.delivery).digest('hex'),
    previewBytes: 0,
    neededFrom: from,
  };
  const until = new Date(Date.parse(from) + 14 * 86_400_000).toISOString();
  return {
    type: 'roomtone.plan',
    formatVersion: 1,
    planId: randomUUID(),
    zoneId,
    venueId,
    timeZone: 'Europe/Berlin',
    tzdbVersion: process.versions.tz ?? 'unknown',
    scheduleVersion: 1,
    compiledAt: from,
    from,
    until,
    licence: null,
    intervals: [
      {
        start: from,
        end: new Date(Date.parse(from) + 3_600_000).toISOString(),
        programmeId: 'sync-test-programme',
        volume: 50,
        startMode: 'hard',
        maxLatenessSeconds: null,
        blockId: 'sync-test',
        rule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY',
        ruleKind: 'rrule',
        occurrence: from.slice(0, 16),
        priority: 0,
        source: 'scheduled',
      },
    ],
    programmes: [
      {
        id: 'sync-test-programme',
        name: 'Sync test',
        version: 1,
        order: 'ordered',
        repeatWindowMinutes: 0,
        artistSeparationMinutes: 0,
        crossfadeMs: 0,
        trackIds: [track.id],
      },
    ],
    tracks: [doc],
  };
}

/** The parts of an appliance's sync (its own hub client, play log, encrypted cache and clocks) over `dataDir`. */
export interface SyncAppliance {
  client: HubClient;
  log: SqlitePlayLog;
  cache: TrackCache;
  sync: SyncService;
  clocks: ManualClocks;
}

/**
 * Builds the appliance side of sync as the daemon does, signing as `keystore` on `clock`, its manual clocks starting at
 * `start`. Track downloads go through the client; `requested` records each track id asked for (before the request),
 * `statuses` each answer's status.
 */
export async function syncAppliance(options: {
  dataDir: string;
  keystore: Keystore;
  sodium: Sodium;
  clock: ProvisioningClock;
  start: string;
  requested?: string[];
  statuses?: number[];
  downloadConcurrency?: number;
}): Promise<SyncAppliance> {
  const { dataDir, keystore, sodium, requested, statuses } = options;
  const client = new HubClient(keystore, { sodium, clock: options.clock });
  const log = new SqlitePlayLog(path.join(dataDir, 'playlog.sqlite'));
  const cache = await TrackCache.open({
    dir: path.join(dataDir, 'cache'),
    budgetBytes: 100_000_000,
    sodium,
    recipient: trackRecipientOf(keystore),
    fetchTrack: async (id, headers, signal) => {
      requested?.push(id);
      const response = await client.request('GET', `/appliance/v1/tracks/${id}`, { headers, signal });
      statuses?.push(response.status);
      return response;
    },
  });
  const clocks = new ManualClocks(Date.parse(options.start));
  const sync = new SyncService({
    dataDir,
    client,
    sodium,
    cache,
    log,
    softwareVersion: '0.1.0-it',
    wall: clocks.wall,
    monotonic: clocks.monotonic,
    downloadConcurrency: options.downloadConcurrency,
  });
  return { client, log, cache, sync, clocks };
}
