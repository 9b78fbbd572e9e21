/**
 * The appliance API's wire contract (docs/appliance-api.md): what the hub signs and sends, what the appliance sends
 * back. Hub and appliance import these types from here, so the two sides cannot drift apart silently.
 */

/** Format version of plan documents; an appliance refuses any other. */
export const PLAN_FORMAT_VERSION = 1;

/** A licence's terms as plans and licence documents carry them. */
export interface LicenceTermsDoc {
  licenceId: string;
  /** Bumped by every amendment. */
  version: number;
  venueId: string;
  /** 'full': encrypted full tracks; 'preview': preview streams only. */
  tier: 'full' | 'preview';
  validFrom: string;
  validUntil: string;
  /** How many days an appliance may keep playing since its last successful check-in. */
  leaseDays: number;
  [key: string]: string | number;
}

/** One interval of a plan: [start, end) in UTC, what plays in it and which schedule rule produced it. */
export interface PlanIntervalDoc {
  start: string;
  end: string;
  programmeId: string;
  /** 0-100. */
  volume: number;
  /** 'hard': switch at `start`; 'soft': after the current track, at most `maxLatenessSeconds` late. */
  startMode: 'hard' | 'soft';
  maxLatenessSeconds: number | null;
  blockId: string;
  /** The rule text (RRULE lines or cron expression) and its kind, for "why did this play". */
  rule: string;
  ruleKind: 'rrule' | 'cron';
  /** The occurrence's nominal wall-clock start in the venue's zone, e.g. "2026-03-28T22:00". */
  occurrence: string;
  priority: number;
  /** 'override' when a dated override (modify/replace) decided the interval. */
  source: 'scheduled' | 'override';
  [key: string]: string | number | null;
}

/** A programme as resolved for the plan: the playable tracks after rules, blocks and the explicit switch. */
export interface PlanProgrammeDoc {
  id: string;
  name: string;
  version: number;
  /** 'ordered': trackIds in order, looping; 'shuffled': the appliance shuffles. */
  order: 'ordered' | 'shuffled';
  /** The same track not again within this many minutes (0: no rule). */
  repeatWindowMinutes: number;
  /** The same artist not again within this many minutes (0: no rule). */
  artistSeparationMinutes: number;
  /** 0: gapless, no crossfade. */
  crossfadeMs: number;
  trackIds: string[];
  [key: string]: string | number | string[];
}

/** A track the plan needs, with what the appliance needs to prefetch, verify and play it. */
export interface PlanTrackDoc {
  id: string;
  title: string;
  artist: string | null;
  album: string | null;
  label: string | null;
  isrc: string | null;
  durationMs: number;
  /** EBU R128 integrated loudness of the delivery rendition (LUFS); the appliance's gain starts from it. */
  loudnessLufs: number | null;
  truePeakDbtp: number | null;
  cueInMs: number | null;
  cueOutMs: number | null;
  explicit: boolean;
  /** Exact size of the encrypted download (FORMAT.md) for an appliance whose id is 36 characters long. */
  downloadBytes: number;
  /** Plaintext SHA-256 (hex) of the delivery rendition, also in the encrypted file's header. */
  sha256: string;
  previewBytes: number;
  /** First instant (UTC) an interval of the plan may need the track: prefetch soonest-needed first. */
  neededFrom: string;
  [key: string]: string | number | boolean | null;
}

/** What the hub signs for one zone: GET /appliance/v1/plan returns SignedDocument<PlanPayload>. */
export interface PlanPayload {
  type: 'roomtone.plan';
  formatVersion: 1;
  /** New for every compilation (uuid v7). */
  planId: string;
  zoneId: string;
  venueId: string;
  /** The venue's IANA zone, which every rule was evaluated in. */
  timeZone: string;
  /** IANA tzdb version the hub used (process.versions.tz). */
  tzdbVersion: string;
  /** Published schedule version compiled; 0 when the zone has no published schedule (the plan is silence). */
  scheduleVersion: number;
  compiledAt: string;
  /** The horizon [from, until): outside it the appliance plays nothing. */
  from: string;
  until: string;
  /** The licence in force when compiled; null: none, the appliance plays nothing. */
  licence: LicenceTermsDoc | null;
  intervals: PlanIntervalDoc[];
  programmes: PlanProgrammeDoc[];
  tracks: PlanTrackDoc[];
  [key: string]: unknown;
}

/** GET /appliance/v1/licence returns SignedDocument<LicencePayload> (404 NO_LICENCE when none is in force). */
export interface LicencePayload {
  type: 'roomtone.licence';
  applianceId: string;
  zoneId: string;
  terms: LicenceTermsDoc;
  [key: string]: unknown;
}

/** The hub's signed time (also in every check-in answer). */
export interface HubTimePayload {
  type: 'roomtone.hub-time';
  applianceId: string;
  time: string;
  [key: string]: string;
}
