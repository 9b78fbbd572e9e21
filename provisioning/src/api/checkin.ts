import type { SignedDocument } from '../documents/signed-document';
import type { HubTimePayload } from './plan';

/** What the appliance is doing, as it tells the hub and `roomtone-appliance status` shows. */
export type ApplianceState =
  | 'starting'
  | 'playing'
  | 'silent'
  | 'no-plan'
  | 'no-licence'
  | 'lease-expired'
  | 'plan-expired'
  | 'clock-untrusted'
  | 'audio-error';

/** POST /appliance/v1/checkin body. */
export interface CheckinRequest {
  softwareVersion: string;
  /** The appliance's own wall clock when it sent the request (ISO UTC). */
  clock: string;
  uptimeSeconds: number;
  state: ApplianceState;
  /** The plan and licence the appliance holds (null: none yet). */
  planId: string | null;
  licenceEtag: string | null;
  nowPlaying: {
    trackId: string;
    programmeId: string | null;
    startedAt: string;
    quality: 'full' | 'preview';
  } | null;
  cache: { tracks: number; bytes: number; budgetBytes: number; missing: number };
  disk: { freeBytes: number };
  playLog: { pending: number; lastSequence: number };
  /** Most recent first, at most 20. */
  errors: { at: string; message: string }[];
}

/** POST /appliance/v1/checkin answer. */
export interface CheckinResponse {
  time: SignedDocument<HubTimePayload>;
  /** The zone's current plan; changed = the appliance's planId differs from it. id null: no plan yet. */
  plan: { id: string | null; etag: string | null; changed: boolean };
  /** The licence document's ETag; null: no licence in force (play nothing). */
  licence: { etag: string | null; changed: boolean };
  /** When to check in next (the appliance adds jitter). */
  checkinIntervalSeconds: number;
  /** Highest play sequence stored with every lower one (0: none). */
  playsStoredThrough: number;
}
