import { createHash } from 'node:crypto';
import {
  DEFAULT_CHUNK_SIZE,
  encryptedLength,
  type LicenceTermsDoc,
  planBodyRef,
  type PlanBodyRef,
  type PlanIntervalDoc,
  type PlanProgrammeDoc,
  type PlanTrackFactsDoc,
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

/** A track as a plan's catalogue lists it (the appliance derives `neededFrom` from the timeline). */
export type TrackFacts = PlanTrackFactsDoc;

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

/** A plan body (format 2): its exact canonical text and the reference the envelope carries. */
export interface CompiledBody {
  kind: 'timeline' | 'catalogue';
  text: string;
  ref: PlanBodyRef;
}

/** The compiled envelope as canonical JSON text, its bodies, and the sorted ids of its tracks. */
export interface CompiledPlan {
  /** RFC 8785 canonical JSON of the PlanEnvelope: what is signed and stored. */
  text: string;
  /** The envelope's canonical JSON without planId and compiledAt: equal content means an equal plan. */
  content: string;
  timeline: CompiledBody;
  catalogue: CompiledBody;
  trackIds: string[];
  /** SHA-256 (hex) of the sorted track ids. */
  trackSet: string;
}

/** The catalogue body of a set of resolved programmes, with its track ids. */
interface CatalogueBody {
  body: CompiledBody;
  trackIds: string[];
  trackSet: string;
}

/**
 * Bodies shared by the plans of one compilation: a schedule's timeline (by the expander's interval array) and a
 * set of resolved programmes' catalogue (by the resolver's programme objects), each canonicalised and hashed once;
 * a track's canonical facts once per track.
 */
export class PlanFragments {
  private readonly tracks = new Map<string, Canonical>();
  private readonly programmes = new WeakMap<PlanProgrammeDoc, Canonical>();
  private readonly timelines = new WeakMap<readonly PlanInterval[], CompiledBody>();
  private readonly identities = new WeakMap<object, number>();
  private nextIdentity = 1;
  private readonly restricted = new WeakMap<
    ReadonlyMap<string, TrackFacts>,
    WeakMap<PlanProgrammeDoc, PlanProgrammeDoc>
  >();

  /**
   * The programme with its track list restricted to tracks that have facts: the same object when all have (shared
   * by every zone of the batch), else one restricted copy per (facts, programme), so zones keep sharing it.
   */
  known(programme: PlanProgrammeDoc, facts: ReadonlyMap<string, TrackFacts>): PlanProgrammeDoc {
    let byProgramme = this.restricted.get(facts);
    if (byProgramme === undefined) {
      byProgramme = new WeakMap();
      this.restricted.set(facts, byProgramme);
    }
    let out = byProgramme.get(programme);
    if (out === undefined) {
      const ids = programme.trackIds.filter((id) => facts.has(id));
      out = ids.length === programme.trackIds.length ? programme : { ...programme, trackIds: ids };
      byProgramme.set(programme, out);
    }
    return out;
  }
  /** Catalogues by the identities of their programme objects (cleared per batch: the resolver's are new). */
  readonly catalogues = new Map<string, CatalogueBody>();
  /**
   * Catalogues by their programmes' canonical texts, for the whole call: the next batch's resolver objects are new
   * but usually equal, and a catalogue costs ~270 kB of text and its hash. (Track facts are cached by id for the call
   * as well: one compile call reads each track's facts once.)
   */
  private readonly cataloguesByContent = new Map<string, CatalogueBody>();

  private identity(o: object): number {
    let id = this.identities.get(o);
    if (id === undefined) {
      id = this.nextIdentity++;
      this.identities.set(o, id);
    }
    return id;
  }

  track(facts: TrackFacts): Canonical {
    let c = this.tracks.get(facts.id);
    if (c === undefined) {
      c = new Canonical(canonicalText(facts));
      this.tracks.set(facts.id, c);
    }
    return c;
  }

  programme(doc: PlanProgrammeDoc): Canonical {
    let c = this.programmes.get(doc);
    if (c === undefined) {
      c = new Canonical(canonicalText(doc));
      this.programmes.set(doc, c);
    }
    return c;
  }

  /** The timeline body of these intervals; cached by the array's identity (the expander shares it between zones). */
  timeline(intervals: readonly PlanInterval[], cache: boolean): CompiledBody {
    let body = cache ? this.timelines.get(intervals) : undefined;
    if (body === undefined) {
      body = compiledBody('timeline', {
        type: 'roomtone.plan-timeline',
        intervals: new Canonical(canonicalText(intervals.map(intervalDoc))),
      });
      if (cache) this.timelines.set(intervals, body);
    }
    return body;
  }

  /** The catalogue of these programmes (sorted by id); shared when the same objects come again. */
  catalogue(programmes: readonly PlanProgrammeDoc[], facts: ReadonlyMap<string, TrackFacts>): CatalogueBody {
    const sorted = [...programmes].sort((a, b) => compareIds(a.id, b.id));
    const key = sorted.map((p) => this.identity(p)).join(',');
    let out = this.catalogues.get(key);
    if (out === undefined) {
      const content = sorted.map((p) => this.programme(p).text).join('\n');
      out = this.cataloguesByContent.get(content);
      if (out !== undefined) {
        this.catalogues.set(key, out);
        return out;
      }
      const ids = new Set<string>();
      for (const p of sorted) for (const id of p.trackIds) ids.add(id);
      const trackIds = [...ids].sort(compareIds);
      out = {
        body: compiledBody('catalogue', {
          type: 'roomtone.plan-catalogue',
          programmes: sorted.map((p) => this.programme(p)),
          tracks: trackIds.map((id) => this.track(facts.get(id)!)),
        }),
        trackIds,
        trackSet: trackSetId(trackIds),
      };
      this.catalogues.set(key, out);
      this.cataloguesByContent.set(content, out);
    }
    return out;
  }
}

/** UTF-16 code unit order, as RFC 8785 sorts keys (and assemblePlan's reference splitPlan sorts ids). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compiledBody(kind: CompiledBody['kind'], value: Record<string, unknown>): CompiledBody {
  const text = canonicalText(value);
  return { kind, text, ref: planBodyRef(text) };
}

/**
 * Builds a zone's plan (format 2): the envelope of per-zone facts referencing a timeline body (intervals whose
 * programme resolved; others are silence) and a catalogue body (the programmes those intervals name, track lists
 * restricted to tracks whose renditions are known, and those tracks' facts). The appliance derives `neededFrom`.
 */
export function compilePlan(input: PlanInputs, fragments: PlanFragments = new PlanFragments()): CompiledPlan {
  const programmes = new Map<string, PlanProgrammeDoc>();
  for (const p of input.programmes) programmes.set(p.id, fragments.known(p, input.facts));
  const allResolved = input.intervals.every((i) => programmes.has(i.programme));
  const intervals = allResolved ? input.intervals : input.intervals.filter((i) => programmes.has(i.programme));
  const used: PlanProgrammeDoc[] = [];
  for (const i of intervals) {
    const p = programmes.get(i.programme)!;
    if (!used.includes(p)) used.push(p);
  }
  const timeline = fragments.timeline(intervals, allResolved);
  const catalogue = fragments.catalogue(used, input.facts);
  const content = {
    type: 'roomtone.plan',
    formatVersion: 2,
    zoneId: input.zoneId,
    venueId: input.venueId,
    timeZone: input.timeZone,
    tzdbVersion: input.tzdbVersion,
    scheduleVersion: input.scheduleVersion,
    from: input.from.toISOString(),
    until: input.until.toISOString(),
    licence: licenceDoc(input.licence),
    timeline: timeline.ref,
    catalogue: catalogue.body.ref,
  };
  return {
    text: canonicalText({ ...content, planId: input.planId, compiledAt: input.compiledAt.toISOString() }),
    content: canonicalText(content),
    timeline,
    catalogue: catalogue.body,
    trackIds: catalogue.trackIds,
    trackSet: catalogue.trackSet,
  };
}

/** An envelope's content key (canonical JSON without planId and compiledAt), from its payload object. */
export function envelopeContent(payload: Record<string, unknown>): string {
  const { planId: _planId, compiledAt: _compiledAt, ...content } = payload;
  return canonicalText(content);
}

/** The id of a set of track ids: SHA-256 (hex) of the sorted ids joined by newlines. */
export function trackSetId(sortedIds: readonly string[]): string {
  return createHash('sha256').update(sortedIds.join('\n')).digest('hex');
}
