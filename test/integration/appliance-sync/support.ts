import { createHash, randomUUID } from 'node:crypto';
import {
  signDocument,
  type HubSigningKey,
  type JsonValue,
  type PlanPayload,
  type PlanTrackDoc,
} from '@roomtone/provisioning';
import type { CurrentPlan, CurrentPlans } from '../../../hub/src/appliance-api/ports';
import type { ZonePlanTracks } from '../../../hub/src/appliance-api/delivery/zone-plan-tracks';

/**
 * A zone's plan as the test sets it, signed with the hub's real key and served by the real plan endpoint; delivery
 * sees the same track ids. (The plan compiler has its own suites; these tests are about the appliance's sync.)
 */
export class SignedTestPlans implements CurrentPlans, ZonePlanTracks {
  readonly plans = new Map<string, { plan: PlanPayload; current: CurrentPlan }>();
  key: HubSigningKey | null = null;

  set(plan: PlanPayload): void {
    if (!this.key) throw new Error('SignedTestPlans.key is not set');
    const json = JSON.stringify(signDocument(this.key, plan as unknown as JsonValue));
    const etag = `"${createHash('sha256').update(json).digest('hex').slice(0, 32)}"`;
    this.plans.set(plan.zoneId, { plan, current: { planId: plan.planId, etag, json } });
  }

  current(zoneId: string): Promise<CurrentPlan | null> {
    return Promise.resolve(this.plans.get(zoneId)?.current ?? null);
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

/** A one-track plan for `zoneId` over [from, from + 14 days). */
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
    intervals: [],
    programmes: [],
    tracks: [doc],
  };
}
