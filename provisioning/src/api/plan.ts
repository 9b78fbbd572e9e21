/**
 * The appliance API's wire contract (docs/appliance-api.md): what the hub signs and sends, what the appliance sends
 * back. Hub and appliance import these types from here, so the two sides cannot drift apart silently.
 */
import { canonicalize } from '../documents/jcs';
import { sha256 } from '../encoding';

/**
 * Format version of signed plan documents (PlanEnvelope); an appliance refuses any other. Format 2: the signed
 * per-zone envelope references its timeline and catalogue bodies by SHA-256 instead of embedding them.
 */
export const PLAN_FORMAT_VERSION = 2;

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

/** A track the plan's programmes name, with what the appliance needs to prefetch, verify and play it. */
export interface PlanTrackFactsDoc {
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
  [key: string]: string | number | boolean | null;
}

/** A track of an assembled plan: its facts and when the zone first needs it. */
export interface PlanTrackDoc extends PlanTrackFactsDoc {
  /**
   * First instant (UTC) an interval of the plan may need the track: prefetch soonest-needed first. Not on the wire
   * since format 2: derived by {@link assemblePlan} (start of the first interval whose programme names the track).
   */
  neededFrom: string;
}

/** A body the signed envelope commits to: SHA-256 (lowercase hex) and length of its canonical JSON bytes. */
export interface PlanBodyRef {
  sha256: string;
  bytes: number;
  [key: string]: string | number;
}

/**
 * Body `timeline`: the intervals of a schedule over a horizon, in start order. Shared by every zone compiled from
 * the same published schedule document over the same horizon.
 */
export interface PlanTimelineBody {
  type: 'roomtone.plan-timeline';
  intervals: PlanIntervalDoc[];
  [key: string]: unknown;
}

/**
 * Body `catalogue`: the resolved programmes the timeline names (sorted by id) and the facts of every track they
 * name (sorted by id). Shared by every zone whose programmes resolved to the same tracks.
 */
export interface PlanCatalogueBody {
  type: 'roomtone.plan-catalogue';
  programmes: PlanProgrammeDoc[];
  tracks: PlanTrackFactsDoc[];
  [key: string]: unknown;
}

/** The per-zone facts a plan carries, in the signed envelope and in the assembled plan alike. */
export interface PlanFacts {
  type: 'roomtone.plan';
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
  [key: string]: unknown;
}

/**
 * What the hub signs for one zone (format 2): GET /appliance/v1/plan returns SignedDocument<PlanEnvelope>. The big
 * parts are bodies fetched from GET /appliance/v1/plan-bodies/:sha256; the hashes here are the signature's
 * commitment to them, so bodies carry no signature of their own.
 */
export interface PlanEnvelope extends PlanFacts {
  formatVersion: 2;
  /** New for every compilation whose content changed (uuid v7). */
  planId: string;
  timeline: PlanBodyRef;
  catalogue: PlanBodyRef;
  [key: string]: unknown;
}

/**
 * A zone's plan assembled from its verified envelope and bodies ({@link assemblePlan}): what playback executes.
 * It keeps the shape of format 1 (which the hub signed whole), hence `formatVersion: 1`; it is never on the wire.
 */
export interface PlanPayload extends PlanFacts {
  formatVersion: 1;
  /** The envelope's planId. */
  planId: string;
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

/** The canonical JSON text of a plan body and the reference the envelope carries for it. */
export function planBodyText(body: PlanTimelineBody | PlanCatalogueBody): { text: string; ref: PlanBodyRef } {
  const text = canonicalize(body);
  return { text, ref: planBodyRef(text) };
}

/** The reference (SHA-256 hex, byte length) of a body's exact UTF-8 text. */
export function planBodyRef(text: string | Uint8Array): PlanBodyRef {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return { sha256: sha256(bytes).toString('hex'), bytes: bytes.length };
}

/**
 * Format 2 -> the assembled plan. Checks the bodies' shapes and references (every interval's programme is in the
 * catalogue, every programme's track has facts) and throws an Error naming what is wrong. Tracks come in the order
 * they are first needed, each with `neededFrom` = the start of the first interval whose programme names it;
 * programmes in the order first used. The caller has verified the envelope's signature and the bodies' hashes.
 */
export function assemblePlan(
  envelope: PlanEnvelope,
  timeline: PlanTimelineBody,
  catalogue: PlanCatalogueBody,
): PlanPayload {
  if (timeline?.type !== 'roomtone.plan-timeline' || !Array.isArray(timeline.intervals)) {
    throw new Error(`plan ${envelope.planId}: the timeline body is not a roomtone.plan-timeline with intervals`);
  }
  if (
    catalogue?.type !== 'roomtone.plan-catalogue' ||
    !Array.isArray(catalogue.programmes) ||
    !Array.isArray(catalogue.tracks)
  ) {
    throw new Error(`plan ${envelope.planId}: the catalogue body is not a roomtone.plan-catalogue`);
  }
  const programmes = new Map(catalogue.programmes.map((p) => [p.id, p]));
  const facts = new Map(catalogue.tracks.map((t) => [t.id, t]));
  const used: PlanProgrammeDoc[] = [];
  const tracks = new Map<string, PlanTrackDoc>();
  for (const [index, interval] of timeline.intervals.entries()) {
    const programme = programmes.get(interval.programmeId);
    if (programme === undefined) {
      throw new Error(
        `plan ${envelope.planId}: intervals[${index}] names programme ${interval.programmeId}, which its catalogue lacks`,
      );
    }
    if (used.includes(programme)) continue;
    used.push(programme);
    for (const id of programme.trackIds) {
      if (tracks.has(id)) continue;
      const track = facts.get(id);
      if (track === undefined) {
        throw new Error(
          `plan ${envelope.planId}: programme ${programme.id} names track ${id}, which its catalogue lacks`,
        );
      }
      tracks.set(id, { ...track, neededFrom: interval.start });
    }
  }
  return {
    type: 'roomtone.plan',
    formatVersion: 1,
    planId: envelope.planId,
    zoneId: envelope.zoneId,
    venueId: envelope.venueId,
    timeZone: envelope.timeZone,
    tzdbVersion: envelope.tzdbVersion,
    scheduleVersion: envelope.scheduleVersion,
    compiledAt: envelope.compiledAt,
    from: envelope.from,
    until: envelope.until,
    licence: envelope.licence,
    intervals: timeline.intervals,
    programmes: used,
    tracks: [...tracks.values()],
  };
}

/**
 * An assembled plan -> format 2: the envelope and its bodies' texts (reference implementation; the hub compiles
 * from shared fragments and must produce the same bytes). Catalogue programmes and tracks are sorted by id.
 */
export function splitPlan(plan: PlanPayload): {
  envelope: PlanEnvelope;
  bodies: { timeline: string; catalogue: string };
} {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const timeline = planBodyText({ type: 'roomtone.plan-timeline', intervals: plan.intervals });
  const catalogue = planBodyText({
    type: 'roomtone.plan-catalogue',
    programmes: [...plan.programmes].sort(byId),
    tracks: plan.tracks.map(({ neededFrom: _neededFrom, ...facts }) => facts).sort(byId),
  });
  const { intervals: _i, programmes: _p, tracks: _t, ...facts } = plan;
  return {
    envelope: { ...facts, formatVersion: 2, timeline: timeline.ref, catalogue: catalogue.ref },
    bodies: { timeline: timeline.text, catalogue: catalogue.text },
  };
}
