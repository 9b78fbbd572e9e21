import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  assemblePlan,
  HubSigningKey,
  type PlanCatalogueBody,
  type PlanEnvelope,
  type PlanPayload,
  type PlanTimelineBody,
} from '@roomtone/provisioning';
import { cachedDeps, defaultDeps, type ScheduleDeps } from '@roomtone/schedules';
import { DataSource, type EntityManager } from 'typeorm';
import type { Track } from '../catalog/entities/track.entity';
import { RenditionFacts } from '../catalog/rendition-facts';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';

import { Plan } from './entities/plan.entity';
import { licenceAt, nextLicenceChange } from './licence-at';
import { Lru } from './lru';
import { signedDocumentText } from './canonical';
import {
  compilePlan,
  PlanFragments,
  ScheduleExpander,
  trackFacts,
  type CompiledBody,
  type TrackFacts,
} from './plan-compiler';
import { PlansRepository, type CurrentEnvelope, type StoredBody } from './plans.repository';
import { ProgrammeSource, type ProgrammeRequest, type ResolvedProgrammes } from './programme-source';

const DAY_MS = 86_400_000;
/**
 * Zones compiled, signed and stored per transaction. A format 2 envelope is about 1 kB, so a batch is small in
 * memory; each batch resolves programmes again (reading their tracks), which is most of a batch's fixed cost.
 */
export const PLAN_BATCH_ZONES = 5000;
/** A recompilation keeps the current plan's horizon while it started less than this long ago (see prepare). */
export const HORIZON_REFRESH_MS = 24 * 3_600_000;

function emptyStats(): CompileStats {
  return {
    zones: 0,
    distinctSchedules: 0,
    tracks: 0,
    kept: 0,
    bodies: 0,
    envelopeBytes: 0,
    bodyBytes: 0,
    ms: { read: 0, expand: 0, resolve: 0, build: 0, sign: 0, store: 0 },
  };
}

interface CompileRun {
  now: Date;
  /** Rule caches shared by every expansion of the call. */
  deps: ScheduleDeps;
  /** One expander per horizon window (zones keeping their current plan's horizon have their own). */
  expanders: Map<string, ScheduleExpander>;
  fragments: PlanFragments;
}

/** What one batch stores: new plans, their track sets and bodies, and zones whose current plan is kept. */
interface PreparedBatch {
  rows: Plan[];
  trackSets: Map<string, string[]>;
  bodies: Map<string, StoredBody>;
  kept: { id: string; licenceChangeAt: Date | null }[];
}

/** A zone's current plan as the appliance API serves it. */
export interface StoredPlan {
  planId: string;
  zoneId: string;
  venueId: string;
  /** Strong ETag value (without quotes): SHA-256 hex of the document's signature. */
  etag: string;
  /** The signed document's JSON text: serve byte for byte. */
  json: string;
  trackIds: ReadonlySet<string>;
  from: Date;
  until: Date;
  licenceTier: 'full' | 'preview' | null;
}

/** Figures of one compileZones call (logs, benchmark). */
export interface CompileStats {
  zones: number;
  distinctSchedules: number;
  tracks: number;
  /** Zones whose recompilation equalled their current plan (kept, no new plan id). */
  kept: number;
  /** Distinct bodies the compilation referenced, and their bytes; envelope bytes of the new plans. */
  bodies: number;
  envelopeBytes: number;
  bodyBytes: number;
  ms: { read: number; expand: number; resolve: number; build: number; sign: number; store: number };
}

/**
 * Compiles zones' plans (PlanPayload, signed by the hub) and serves the current one. "Which plan is current" is
 * always read from the database (several hubs may compile); only immutable facts (a track set's ids) are cached.
 */
@Injectable()
export class PlansService {
  private readonly logger = new Logger('PlansService');
  private readonly trackSets = new Lru<string, ReadonlySet<string>>(2000);
  lastStats: CompileStats | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: PlansRepository,
    private readonly programmes: ProgrammeSource,
    private readonly renditionFacts: RenditionFacts,
    private readonly key: HubSigningKey,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The zone's current plan, or null when none was compiled. One indexed query (two on a track-set cache miss). */
  async current(zoneId: string): Promise<StoredPlan | null> {
    const plan = await this.repository.current(zoneId);
    if (plan === null) return null;
    return {
      planId: plan.id,
      zoneId: plan.zoneId,
      venueId: plan.venueId,
      etag: plan.etag,
      json: plan.document,
      trackIds: await this.trackSet(plan.trackSet),
      from: plan.horizonFrom,
      until: plan.horizonUntil,
      licenceTier: plan.licenceTier,
    };
  }

  /** The zone's current plan id and ETag (check-in), or null; the document is not read. */
  async currentId(zoneId: string): Promise<{ planId: string; etag: string } | null> {
    const row = await this.repository.currentId(zoneId);
    return row === null ? null : { planId: row.id, etag: row.etag };
  }

  /** The track ids the zone's current plan lists (delivery's check), or null; the document is not read. */
  async currentTrackIds(zoneId: string): Promise<ReadonlySet<string> | null> {
    const row = await this.repository.currentId(zoneId);
    return row === null ? null : this.trackSet(row.track_set);
  }

  /** The track ids of each of these plans (current or superseded); unknown (pruned) plans are absent. */
  async tracksOfPlans(planIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const sets = await this.repository.setsOfPlans(planIds);
    const missing = [...new Set(sets.values())].filter((s) => this.trackSets.get(s) === undefined);
    if (missing.length > 0) {
      for (const [set, ids] of await this.repository.tracksOfSets(missing)) this.trackSets.set(set, new Set(ids));
    }
    const out = new Map<string, Set<string>>();
    for (const [planId, set] of sets) out.set(planId, new Set(this.trackSets.get(set) ?? []));
    return out;
  }

  /** A plan body's exact canonical text (GET /appliance/v1/plan-bodies/:sha256), or null when none is stored. */
  body(sha256: string): Promise<string | null> {
    return this.repository.body(sha256);
  }

  /** True when a kept plan of the zone (current or superseded, not pruned) references the body. */
  bodyReferenced(zoneId: string, sha256: string): Promise<boolean> {
    return this.repository.bodyReferenced(zoneId, sha256);
  }

  /**
   * Compiles and stores new current plans for these zones (unknown zones are ignored), in batches of
   * PLAN_BATCH_ZONES zones. A zone whose new envelope equals its current plan's (all but planId and compiledAt)
   * keeps its current plan: same id, same ETag, nothing for its appliance to fetch. `also` runs in the transaction of the last batch
   * (the worker deletes the invalidation rows it consumed there: if an earlier batch fails they stay, and the next
   * round compiles again).
   */
  async compileZones(
    zoneIds: readonly string[],
    reason: string,
    also?: (manager: EntityManager, planIds: ReadonlyMap<string, string>) => Promise<void>,
  ): Promise<Map<string, string>> {
    const unique = [...new Set(zoneIds)];
    const ids = new Map<string, string>();
    this.lastStats = emptyStats();
    const run = this.newRun();
    if (unique.length === 0) {
      if (also) await this.dataSource.transaction((m) => also(m, ids));
      return ids;
    }
    for (let i = 0; i < unique.length; i += PLAN_BATCH_ZONES) {
      const batch = unique.slice(i, i + PLAN_BATCH_ZONES);
      const last = i + PLAN_BATCH_ZONES >= unique.length;
      if (this.repository.isPostgres) {
        // Zone rows locked before the inputs are read: a concurrent compile of the same zone waits and then reads
        // what the other committed, so the later plan is never built from older inputs.
        await this.dataSource.transaction(async (m) => {
          await this.repository.lockZones(m, batch);
          const plans = await this.prepare(batch, reason, run, m);
          for (const [zoneId, id] of plans.ids) ids.set(zoneId, id);
          await this.store(m, plans);
          if (last && also) await also(m, ids);
        });
      } else {
        // SQLite: one writer; read and compile outside, then one short write transaction.
        const plans = await this.prepare(batch, reason, run, this.dataSource.manager);
        for (const [zoneId, id] of plans.ids) ids.set(zoneId, id);
        await this.dataSource.transaction(async (m) => {
          await this.store(m, plans);
          if (last && also) await also(m, ids);
        });
      }
    }
    return ids;
  }

  /**
   * Compiles and stores inside the caller's transaction (the worker's claim of invalidation rows on PostgreSQL).
   * PostgreSQL only: on SQLite use compileZones, which keeps the write transaction short.
   */
  async compileWithin(m: EntityManager, zoneIds: readonly string[], reason: string): Promise<void> {
    const unique = [...new Set(zoneIds)];
    this.lastStats = emptyStats();
    const run = this.newRun();
    for (let i = 0; i < unique.length; i += PLAN_BATCH_ZONES) {
      const batch = unique.slice(i, i + PLAN_BATCH_ZONES);
      await this.repository.lockZones(m, batch);
      await this.store(m, await this.prepare(batch, reason, run, m));
    }
  }

  /**
   * A zone's current plan assembled from its envelope and bodies as the appliance assembles it (dashboard view; the
   * signature is in the stored envelope). A format 1 document (compiled before format 2) is its own payload.
   */
  async currentPayload(zoneId: string): Promise<{ plan: PlanPayload; etag: string; reason: string } | null> {
    const plan = await this.repository.current(zoneId);
    if (plan === null) return null;
    const head = await this.repository.currentHead(zoneId);
    const doc = JSON.parse(plan.document) as { payload: PlanPayload | PlanEnvelope };
    if (doc.payload.formatVersion === 1) return { plan: doc.payload, etag: plan.etag, reason: head?.reason ?? '' };
    const envelope = doc.payload;
    const bodyOf = async <T>(sha256: string): Promise<T> => {
      const text = await this.repository.body(sha256);
      if (text === null) throw new Error(`plan ${envelope.planId} references body ${sha256}, which is not stored`);
      return JSON.parse(text) as T;
    };
    const assembled = assemblePlan(
      envelope,
      await bodyOf<PlanTimelineBody>(envelope.timeline.sha256),
      await bodyOf<PlanCatalogueBody>(envelope.catalogue.sha256),
    );
    return { plan: assembled, etag: plan.etag, reason: head?.reason ?? '' };
  }

  /** Plans superseded more than `days` ago are deleted. */
  prune(days = 90): Promise<number> {
    return this.repository.prune(new Date(this.clock.now().getTime() - days * DAY_MS));
  }

  private async trackSet(set: string): Promise<ReadonlySet<string>> {
    const cached = this.trackSets.get(set);
    if (cached !== undefined) return cached;
    const ids = new Set((await this.repository.tracksOfSets([set])).get(set) ?? []);
    this.trackSets.set(set, ids);
    return ids;
  }

  private async store(m: EntityManager, plans: PreparedBatch): Promise<void> {
    const t = performance.now();
    await this.repository.storePlans(m, plans, this.clock.now());
    if (this.lastStats) this.lastStats.ms.store += Math.round(performance.now() - t);
  }

  /** One compile call's clock reading, expansions and shared fragments (never reused by another call). */
  private newRun(): CompileRun {
    return {
      now: this.clock.now(),
      deps: cachedDeps(defaultDeps),
      expanders: new Map(),
      fragments: new PlanFragments(),
    };
  }

  /**
   * The zone's horizon: its current plan's while that started less than HORIZON_REFRESH_MS ago and spans the
   * configured days (so a recompilation with unchanged inputs, e.g. the worker's right after a publish, yields the
   * same envelope and keeps the plan), else [now, now + ROOMTONE_PLAN_HORIZON_DAYS). The worker recompiles plans
   * whose horizon started more than HORIZON_REFRESH_MS ago, so a horizon never lags more than that.
   */
  private horizonOf(run: CompileRun, current: CurrentEnvelope | undefined): { from: Date; until: Date } {
    const span = this.config.planHorizonDays * DAY_MS;
    const now = run.now.getTime();
    if (current !== undefined) {
      const from = current.horizonFrom.getTime();
      const age = now - from;
      if (age >= 0 && age < HORIZON_REFRESH_MS && current.horizonUntil.getTime() - from === span) {
        return { from: current.horizonFrom, until: current.horizonUntil };
      }
    }
    return { from: run.now, until: new Date(now + span) };
  }

  private expanderFor(run: CompileRun, from: Date, until: Date): ScheduleExpander {
    const key = `${from.getTime()}/${until.getTime()}`;
    let expander = run.expanders.get(key);
    if (expander === undefined) {
      expander = new ScheduleExpander(run.deps, from.getTime(), until.getTime());
      run.expanders.set(key, expander);
    }
    return expander;
  }

  private async prepare(
    zoneIds: string[],
    reason: string,
    run: CompileRun,
    manager: EntityManager,
  ): Promise<PreparedBatch & { ids: Map<string, string> }> {
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - t);
      t = now;
      return ms;
    };
    const { now, fragments } = run;
    // Catalogues are keyed by the resolver's objects, which are new for every batch: keep only this batch's.
    fragments.catalogues.clear();
    const zones = await this.repository.zones(zoneIds);
    const schedules = await this.repository.publishedSchedules(zoneIds);
    const licences = await this.repository.licencesOfVenues(zones.map((z) => z.venueId));
    const currents = await this.repository.currentEnvelopes(manager, zoneIds);
    const read = lap();

    const intervalsOf = new Map<string, ReturnType<ScheduleExpander['intervals']>>();
    const horizonOf = new Map<string, { from: Date; until: Date }>();
    const timeZoneOf = new Map<string, string>();
    const requests: ProgrammeRequest[] = [];
    for (const zone of zones) {
      const horizon = this.horizonOf(run, currents.get(zone.zoneId));
      horizonOf.set(zone.zoneId, horizon);
      const schedule = schedules.get(zone.zoneId);
      if (schedule === undefined) continue;
      try {
        const intervals = this.expanderFor(run, horizon.from, horizon.until).intervals(schedule.document);
        intervalsOf.set(zone.zoneId, intervals);
        timeZoneOf.set(zone.zoneId, (JSON.parse(schedule.document) as { zone: string }).zone);
        const programmeIds = [...new Set(intervals.map((i) => i.programme))];
        if (programmeIds.length > 0) requests.push({ zoneId: zone.zoneId, venueId: zone.venueId, programmeIds });
      } catch (error) {
        // Published documents were validated on write; a failure here (e.g. a tzdb change) must not stop others.
        this.logger.error({ msg: 'cannot expand published schedule', zoneId: zone.zoneId, error: String(error) });
      }
    }
    const expandMs = lap();

    const resolved =
      requests.length === 0 ? new Map<string, ResolvedProgrammes>() : await this.programmes.resolveForZones(requests);
    // Zones sharing an answer share its object: collect each answer's tracks once.
    const facts = await this.factsOf([...new Set(resolved.values())].flatMap((r) => r.tracks));
    const resolveMs = lap();

    const out: PreparedBatch & { ids: Map<string, string> } = {
      rows: [],
      trackSets: new Map(),
      bodies: new Map(),
      kept: [],
      ids: new Map(),
    };
    const stats = this.lastStats ?? emptyStats();
    const addBody = (body: CompiledBody) => {
      if (out.bodies.has(body.ref.sha256)) return;
      out.bodies.set(body.ref.sha256, {
        sha256: body.ref.sha256,
        kind: body.kind,
        bytes: body.ref.bytes,
        text: body.text,
      });
      stats.bodies++;
      stats.bodyBytes += body.ref.bytes;
    };
    let buildMs = 0;
    let signMs = 0;
    for (const zone of zones) {
      const schedule = schedules.get(zone.zoneId);
      const zoneLicences = licences.get(zone.venueId) ?? [];
      const licence = licenceAt(zoneLicences, zone.zoneId, now);
      const licenceChangeAt = nextLicenceChange(zoneLicences, zone.zoneId, now);
      const { from, until } = horizonOf.get(zone.zoneId)!;
      const planId = this.ids.next();
      const r = resolved.get(zone.zoneId);
      const compiled = compilePlan(
        {
          planId,
          zoneId: zone.zoneId,
          venueId: zone.venueId,
          timeZone: timeZoneOf.get(zone.zoneId) ?? zone.timeZone,
          tzdbVersion: process.versions.tz ?? 'unknown',
          scheduleVersion: schedule?.version ?? 0,
          compiledAt: now,
          from,
          until,
          licence,
          intervals: intervalsOf.get(zone.zoneId) ?? [],
          programmes: r?.programmes ?? [],
          facts,
        },
        fragments,
      );
      if (r !== undefined && r.unknownProgrammeIds.length > 0) {
        this.logger.warn({
          msg: 'plan without unknown programmes',
          zoneId: zone.zoneId,
          programmes: r.unknownProgrammeIds,
        });
      }
      const current = currents.get(zone.zoneId);
      if (current !== undefined && current.content === compiled.content) {
        // Same inputs, same plan: keep it (its appliance holds it already); only the licence's next change moves.
        out.kept.push({ id: current.id, licenceChangeAt });
        out.ids.set(zone.zoneId, current.id);
        stats.kept++;
        continue;
      }
      const built = performance.now();
      const json = signedDocumentText(this.key, compiled.text);
      const signed = performance.now();
      buildMs += built - t;
      signMs += signed - built;
      t = signed;
      out.trackSets.set(compiled.trackSet, compiled.trackIds);
      addBody(compiled.timeline);
      addBody(compiled.catalogue);
      stats.envelopeBytes += json.length;
      out.ids.set(zone.zoneId, planId);
      out.rows.push(
        Object.assign(new Plan(), {
          id: planId,
          zoneId: zone.zoneId,
          venueId: zone.venueId,
          scheduleVersion: schedule?.version ?? 0,
          licenceId: licence?.licenceId ?? null,
          licenceVersion: licence?.version ?? null,
          licenceTier: licence?.tier ?? null,
          licenceChangeAt,
          compiledAt: now,
          horizonFrom: from,
          horizonUntil: until,
          // The signature covers every byte of the payload (planId included): hashing it is as unique as hashing
          // the whole document.
          etag: createHash('sha256')
            .update(json.slice(json.lastIndexOf('"signature":')))
            .digest('hex'),
          trackSet: compiled.trackSet,
          timelineSha256: compiled.timeline.ref.sha256,
          catalogueSha256: compiled.catalogue.ref.sha256,
          reason: reason.slice(0, 100),
          document: json,
          supersededAt: null,
        }),
      );
    }
    buildMs += performance.now() - t;
    stats.zones += zones.length;
    stats.distinctSchedules = [...run.expanders.values()].reduce((n, e) => n + e.distinct, 0);
    stats.tracks = Math.max(stats.tracks, facts.size);
    stats.ms.read += read;
    stats.ms.expand += expandMs;
    stats.ms.resolve += resolveMs;
    stats.ms.build += Math.round(buildMs);
    stats.ms.sign += Math.round(signMs);
    this.lastStats = stats;
    return out;
  }

  /** Plan facts of each distinct track; ready tracks without recorded rendition facts get them measured first. */
  private async factsOf(tracks: readonly Track[]): Promise<Map<string, TrackFacts>> {
    const out = new Map<string, TrackFacts>();
    for (const track of tracks) {
      if (out.has(track.id)) continue;
      let facts = trackFacts(track);
      if (facts === null && track.status === 'ready') {
        try {
          facts = trackFacts(await this.renditionFacts.ensure(track));
        } catch (error) {
          this.logger.warn({
            msg: 'track left out of plans: renditions unreadable',
            trackId: track.id,
            error: String(error),
          });
        }
      }
      if (facts !== null) out.set(track.id, facts);
    }
    return out;
  }
}
