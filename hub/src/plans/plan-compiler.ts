import { createHash } from 'node:crypto';
import {
  DEFAULT_CHUNK_SIZE,
  encryptedLength,
  type LicenceTermsDoc,
  type PlanIntervalDoc,
  type PlanProgrammeDoc,
  type PlanTrackDoc,
} from '@roomtone/provisioning';
import { expand, parseScheduleJson, type PlanInterval, type ScheduleDeps } from '@roomtone/schedules';
import type { Track } from '../catalog/entities/track.entity';
import type { LicenceTerms } from '../licences/views';
import { Canonical, canonicalText } from './canonical';

/** The appliance id length the plan's `downloadBytes` assume (a uuid). */
export const PLAN_APPLIANCE_ID_LENGTH = 36;

// provisioning/FORMAT.md: fixed part, appliance id length (u16) + id, track id length (u16) + id, wrapped key.
const HEADER_FIXED_BYTES = 144;
const WRAPPED_KEY_BYTES = 48;

/** Exact size of a track's encrypted download for an appliance with a 36-character id (FORMAT.md). */
export function downloadBytes(trackId: string, deliverySizeBytes: number): number {
  const headerLength =
    HEADER_FIXED_BYTES + 2 + PLAN_APPLIANCE_ID_LENGTH + 2 + Buffer.byteLength(trackId, 'utf8') + WRAPPED_KEY_BYTES;
  return encryptedLength({ headerLength, chunkSize: DEFAULT_CHUNK_SIZE, plaintextLength: deliverySizeBytes });
}

/** A track as the plan lists it; `neededFrom` (which depends on the zone) is filled in per plan. */
export type TrackFacts = PlanTrackDoc;

/** The plan's view of a catalogue track; null when its rendition facts are not known (the track is skipped). */
export function trackFacts(track: Track): TrackFacts | null {
  if (track.deliverySizeBytes === null || track.deliverySha256 === null || track.previewSizeBytes === null) return null;
  return {
    id: track.id,
    title: track.title,
    artist: track.artist,
    album: track.album,
    label: track.label,
    isrc: track.isrc,
    durationMs: track.durationMs,
    loudnessLufs: track.loudnessLufs,
    truePeakDbtp: track.truePeakDbtp,
    cueInMs: track.cueInMs,
    cueOutMs: track.cueOutMs,
    explicit: track.explicit,
    downloadBytes: downloadBytes(track.id, track.deliverySizeBytes),
    sha256: track.deliverySha256,
    previewBytes: track.previewSizeBytes,
    neededFrom: '',
  };
}

/** The licence terms as plans carry them. */
export function licenceDoc(terms: LicenceTerms | null): LicenceTermsDoc | null {
  if (terms === null) return null;
  return {
    licenceId: terms.licenceId,
    version: terms.version,
    venueId: terms.venueId,
    tier: terms.tier,
    validFrom: terms.validFrom.toISOString(),
    validUntil: terms.validUntil.toISOString(),
    leaseDays: terms.leaseDays,
  };
}

/**
 * Expands schedule documents over one window, parsing and expanding each distinct document once (zones made from one
 * template share the work) with rule caches shared across documents.
 */
export class ScheduleExpander {
  private readonly byDocument = new Map<string, PlanInterval[]>();

  /** Distinct documents expanded so far. */
  get distinct(): number {
    return this.byDocument.size;
  }

  constructor(
    private readonly deps: ScheduleDeps,
    private readonly fromMs: number,
    private readonly untilMs: number,
  ) {}

  intervals(document: string): PlanInterval[] {
    let out = this.byDocument.get(document);
    if (out === undefined) {
      out = expand(parseScheduleJson(document, this.deps), this.fromMs, this.untilMs);
      this.byDocument.set(document, out);
    }
    return out;
  }
}

/** The wire form of a schedule interval. */
export function intervalDoc(i: PlanInterval): PlanIntervalDoc {
  return {
    start: new Date(i.startMs).toISOString(),
    end: new Date(i.endMs).toISOString(),
    programmeId: i.programme,
    volume: i.volume,
    startMode: i.start.mode,
    maxLatenessSeconds: i.start.mode === 'soft' ? (i.start.maxLatenessSec ?? null) : null,
    blockId: i.blockId,
    rule: i.rule,
    ruleKind: i.ruleKind,
    occurrence: i.occurrence,
    priority: i.priority,
    source: i.overrideId === undefined ? 'scheduled' : 'override',
  };
}

/** Everything one zone's plan is made of. */
export interface PlanInputs {
  planId: string;
  zoneId: string;
  venueId: string;
  timeZone: string;
  tzdbVersion: string;
  scheduleVersion: number;
  compiledAt: Date;
  from: Date;
  until: Date;
  licence: LicenceTerms | null;
  intervals: readonly PlanInterval[];
  /** The programmes the intervals name, resolved for this zone (unknown ones absent). */
  programmes: readonly PlanProgrammeDoc[];
  /** Facts of every track the programmes list (tracks without known facts absent). */
  facts: ReadonlyMap<string, TrackFacts>;
}

/** The compiled payload as canonical JSON text, and the sorted ids of its tracks. */
export interface CompiledPlan {
  /** RFC 8785 canonical JSON of the PlanPayload: what is signed and stored. */
  text: string;
  trackIds: string[];
  /** SHA-256 (hex) of the sorted track ids. */
  trackSet: string;
}

/**
 * Canonical fragments shared by the plans of one compilation: a track's entry (all but `neededFrom`), a programme
 * object's entry, a schedule's intervals. Thousands of zones share them, so each is serialised once.
 */
export class PlanFragments {
  private readonly tracks = new Map<string, [string, string]>();
  private readonly programmes = new WeakMap<PlanProgrammeDoc, Canonical>();
  private readonly intervals = new WeakMap<readonly PlanInterval[], Canonical>();
  private readonly identities = new WeakMap<object, number>();
  /** Plan bodies by keyOf(intervals, programmes). */
  readonly bodies = new Map<string, PlanBody>();

  /** A key naming these objects by identity (the expander and the resolver share them between zones). */
  keyOf(intervals: readonly PlanInterval[], programmes: readonly PlanProgrammeDoc[]): string {
    return [intervals, ...programmes].map((o) => this.identity(o)).join(',');
  }

  private identity(o: object): number {
    let id = this.identities.get(o);
    if (id === undefined) {
      id = this.nextIdentity++;
      this.identities.set(o, id);
    }
    return id;
  }

  private nextIdentity = 1;

  track(facts: TrackFacts, neededFrom: string): Canonical {
    let parts = this.tracks.get(facts.id);
    if (parts === undefined) {
      // Keys sort as ..., loudnessLufs, neededFrom, previewBytes, ...: split where neededFrom goes. A string value
      // cannot contain `,"previewBytes":` (its quotes are escaped), so the first match is the key.
      const { neededFrom: _ignored, ...rest } = facts;
      const text = canonicalText(rest);
      const at = text.indexOf(',"previewBytes":');
      parts = [text.slice(0, at), text.slice(at)];
      this.tracks.set(facts.id, parts);
    }
    return new Canonical(`${parts[0]},"neededFrom":${JSON.stringify(neededFrom)}${parts[1]}`);
  }

  programme(doc: PlanProgrammeDoc): Canonical {
    let c = this.programmes.get(doc);
    if (c === undefined) {
      c = new Canonical(canonicalText(doc));
      this.programmes.set(doc, c);
    }
    return c;
  }

  /** The intervals' canonical array; cached by the array's identity (the expander shares it between zones). */
  intervalList(intervals: readonly PlanInterval[]): Canonical {
    let c = this.intervals.get(intervals);
    if (c === undefined) {
      c = new Canonical(canonicalText(intervals.map(intervalDoc)));
      this.intervals.set(intervals, c);
    }
    return c;
  }
}

/**
 * Builds a zone's plan payload: intervals whose programme resolved (others are silence), the programmes those name
 * (track lists restricted to tracks whose renditions are known), and every such track once with the first instant
 * an interval may need it (soonest first).
 */
export function compilePlan(input: PlanInputs, fragments: PlanFragments = new PlanFragments()): CompiledPlan {
  const programmes = new Map<string, PlanProgrammeDoc>();
  let shared = true;
  for (const p of input.programmes) {
    const known = p.trackIds.filter((id) => input.facts.has(id));
    shared &&= known.length === p.trackIds.length;
    programmes.set(p.id, known.length === p.trackIds.length ? p : { ...p, trackIds: known });
  }
  const allResolved = input.intervals.every((i) => programmes.has(i.programme));
  // Zones with the same expanded schedule and the same resolved programme objects (one template, no blocked tracks)
  // have the same intervals, programmes and tracks: that body is built once.
  const key = allResolved && shared ? fragments.keyOf(input.intervals, input.programmes) : null;
  let body = key === null ? undefined : fragments.bodies.get(key);
  if (body === undefined) {
    const intervals = allResolved ? input.intervals : input.intervals.filter((i) => programmes.has(i.programme));
    body = planBody(intervals, programmes, input.facts, fragments, allResolved);
    if (key !== null) fragments.bodies.set(key, body);
  }
  const payload = {
    type: 'roomtone.plan',
    formatVersion: 1,
    planId: input.planId,
    zoneId: input.zoneId,
    venueId: input.venueId,
    timeZone: input.timeZone,
    tzdbVersion: input.tzdbVersion,
    scheduleVersion: input.scheduleVersion,
    compiledAt: input.compiledAt.toISOString(),
    from: input.from.toISOString(),
    until: input.until.toISOString(),
    licence: licenceDoc(input.licence),
    intervals: body.intervals,
    programmes: body.programmes,
    tracks: body.tracks,
  };
  return { text: canonicalText(payload), trackIds: body.trackIds, trackSet: body.trackSet };
}

/** The parts of a plan that depend only on the schedule's intervals and the resolved programmes. */
export interface PlanBody {
  intervals: Canonical;
  programmes: Canonical;
  tracks: Canonical;
  trackIds: string[];
  trackSet: string;
}

function planBody(
  intervals: readonly PlanInterval[],
  programmes: ReadonlyMap<string, PlanProgrammeDoc>,
  facts: ReadonlyMap<string, TrackFacts>,
  fragments: PlanFragments,
  cachedIntervals: boolean,
): PlanBody {
  const neededFrom = new Map<string, string>();
  const used: PlanProgrammeDoc[] = [];
  for (const i of intervals) {
    const programme = programmes.get(i.programme)!;
    if (used.includes(programme)) continue;
    used.push(programme);
    const start = new Date(i.startMs).toISOString();
    for (const id of programme.trackIds) if (!neededFrom.has(id)) neededFrom.set(id, start);
  }
  const tracks: Canonical[] = [];
  for (const [id, from] of neededFrom) tracks.push(fragments.track(facts.get(id)!, from));
  const trackIds = [...neededFrom.keys()].sort();
  return {
    intervals: cachedIntervals
      ? fragments.intervalList(intervals)
      : new Canonical(canonicalText(intervals.map(intervalDoc))),
    programmes: new Canonical(canonicalText(used.map((p) => fragments.programme(p)))),
    // Flattened once here, so zones sharing the body do not each flatten a rope of hundreds of pieces.
    tracks: new Canonical(canonicalText(tracks)),
    trackIds,
    trackSet: trackSetId(trackIds),
  };
}

/** The id of a set of track ids: SHA-256 (hex) of the sorted ids joined by newlines. */
export function trackSetId(sortedIds: readonly string[]): string {
  return createHash('sha256').update(sortedIds.join('\n')).digest('hex');
}
