import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { JsonValue, PlanPayload } from '@roomtone/provisioning';
import { cachedDeps, defaultDeps } from '@roomtone/schedules';
import { DataSource, type EntityManager } from 'typeorm';
import type { Track } from '../catalog/entities/track.entity';
import { RenditionFacts } from '../catalog/rendition-facts';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { AppConfig } from '../config/app-config';
import { DocumentSigner } from '../trust/document-signer.service';
import { Plan } from './entities/plan.entity';
import { licenceAt, nextLicenceChange } from './licence-at';
import { Lru } from './lru';
import { compilePlan, ScheduleExpander, trackFacts, type TrackFacts } from './plan-compiler';
import { PlansRepository } from './plans.repository';
import { ProgrammeSource, type ProgrammeRequest, type ResolvedProgrammes } from './programme-source';

const DAY_MS = 86_400_000;

/** A zone's current plan as the appliance API serves it. */
export interface StoredPlan {
  planId: string;
  zoneId: string;
  venueId: string;
  /** Strong ETag value (without quotes): SHA-256 hex of `json`. */
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
    private readonly signer: DocumentSigner,
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

  /**
   * Compiles and stores new current plans for these zones (unknown zones are ignored). `also` runs in the same
   * transaction as the store (the worker deletes the invalidation rows it consumed there).
   */
  async compileZones(
    zoneIds: readonly string[],
    reason: string,
    also?: (manager: EntityManager, planIds: ReadonlyMap<string, string>) => Promise<void>,
  ): Promise<Map<string, string>> {
    const unique = [...new Set(zoneIds)];
    if (unique.length === 0) {
      if (also) await this.dataSource.transaction((m) => also(m, new Map()));
      return new Map();
    }
    if (this.repository.isPostgres) {
      // Zone rows locked before the inputs are read: a concurrent compile of the same zone waits and then reads
      // what the other committed, so the later plan is never built from older inputs.
      return this.dataSource.transaction(async (m) => {
        await this.repository.lockZones(m, unique);
        const plans = await this.prepare(unique, reason);
        const ids = new Map(plans.rows.map((p) => [p.zoneId, p.id]));
        await this.store(m, plans);
        if (also) await also(m, ids);
        return ids;
      });
    }
    // SQLite: one writer; read and compile outside, then one short write transaction.
    const plans = await this.prepare(unique, reason);
    const ids = new Map(plans.rows.map((p) => [p.zoneId, p.id]));
    await this.dataSource.transaction(async (m) => {
      await this.store(m, plans);
      if (also) await also(m, ids);
    });
    return ids;
  }

  /**
   * Compiles and stores inside the caller's transaction (the worker's claim of invalidation rows on PostgreSQL).
   * PostgreSQL only: on SQLite use compileZones, which keeps the write transaction short.
   */
  async compileWithin(m: EntityManager, zoneIds: readonly string[], reason: string): Promise<void> {
    const unique = [...new Set(zoneIds)];
    if (unique.length === 0) return;
    await this.repository.lockZones(m, unique);
    await this.store(m, await this.prepare(unique, reason));
  }

  /** The payload of a zone's current plan (dashboard view; the signature is in the stored document). */
  async currentPayload(zoneId: string): Promise<{ plan: PlanPayload; etag: string; reason: string } | null> {
    const plan = await this.repository.current(zoneId);
    if (plan === null) return null;
    const head = await this.repository.currentHead(zoneId);
    const doc = JSON.parse(plan.document) as { payload: PlanPayload };
    return { plan: doc.payload, etag: plan.etag, reason: head?.reason ?? '' };
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

  private async store(m: EntityManager, plans: { rows: Plan[]; trackSets: Map<string, string[]> }): Promise<void> {
    const t = performance.now();
    await this.repository.storePlans(m, plans.rows, plans.trackSets, this.clock.now());
    if (this.lastStats) this.lastStats.ms.store = Math.round(performance.now() - t);
  }

  private async prepare(
    zoneIds: string[],
    reason: string,
  ): Promise<{ rows: Plan[]; trackSets: Map<string, string[]> }> {
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - t);
      t = now;
      return ms;
    };
    const now = this.clock.now();
    const from = now;
    const until = new Date(now.getTime() + this.config.planHorizonDays * DAY_MS);
    const zones = await this.repository.zones(zoneIds);
    const schedules = await this.repository.publishedSchedules(zoneIds);
    const licences = await this.repository.licencesOfVenues(zones.map((z) => z.venueId));
    const read = lap();

    const expander = new ScheduleExpander(cachedDeps(defaultDeps), from.getTime(), until.getTime());
    const intervalsOf = new Map<string, ReturnType<ScheduleExpander['intervals']>>();
    const timeZoneOf = new Map<string, string>();
    const requests: ProgrammeRequest[] = [];
    for (const zone of zones) {
      const schedule = schedules.get(zone.zoneId);
      if (schedule === undefined) continue;
      try {
        const intervals = expander.intervals(schedule.document);
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
    const facts = await this.factsOf([...resolved.values()].flatMap((r) => r.tracks));
    const resolveMs = lap();

    const rows: Plan[] = [];
    const trackSets = new Map<string, string[]>();
    let buildMs = 0;
    let signMs = 0;
    for (const zone of zones) {
      const schedule = schedules.get(zone.zoneId);
      const zoneLicences = licences.get(zone.venueId) ?? [];
      const licence = licenceAt(zoneLicences, zone.zoneId, now);
      const planId = this.ids.next();
      const r = resolved.get(zone.zoneId);
      const compiled = compilePlan({
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
      });
      if (r !== undefined && r.unknownProgrammeIds.length > 0) {
        this.logger.warn({
          msg: 'plan without unknown programmes',
          zoneId: zone.zoneId,
          programmes: r.unknownProgrammeIds,
        });
      }
      const built = performance.now();
      const json = JSON.stringify(this.signer.sign(compiled.payload as unknown as JsonValue));
      const signed = performance.now();
      buildMs += built - t;
      signMs += signed - built;
      t = signed;
      trackSets.set(compiled.trackSet, compiled.trackIds);
      rows.push(
        Object.assign(new Plan(), {
          id: planId,
          zoneId: zone.zoneId,
          venueId: zone.venueId,
          scheduleVersion: schedule?.version ?? 0,
          licenceId: licence?.licenceId ?? null,
          licenceVersion: licence?.version ?? null,
          licenceTier: licence?.tier ?? null,
          licenceChangeAt: nextLicenceChange(zoneLicences, zone.zoneId, now),
          compiledAt: now,
          horizonFrom: from,
          horizonUntil: until,
          etag: createHash('sha256').update(json).digest('hex'),
          trackSet: compiled.trackSet,
          reason: reason.slice(0, 100),
          document: json,
          supersededAt: null,
        }),
      );
    }
    this.lastStats = {
      zones: rows.length,
      distinctSchedules: new Set([...schedules.values()].map((s) => s.document)).size,
      tracks: facts.size,
      ms: {
        read,
        expand: expandMs,
        resolve: resolveMs,
        build: Math.round(buildMs),
        sign: Math.round(signMs),
        store: 0,
      },
    };
    return { rows, trackSets };
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
