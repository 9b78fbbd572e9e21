import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { HubSigningKey, type PlanPayload } from '@roomtone/provisioning';
import { cachedDeps, defaultDeps } from '@roomtone/schedules';
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
import { compilePlan, PlanFragments, ScheduleExpander, trackFacts, type TrackFacts } from './plan-compiler';
import { PlansRepository } from './plans.repository';
import { ProgrammeSource, type ProgrammeRequest, type ResolvedProgrammes } from './programme-source';

const DAY_MS = 86_400_000;
/** Zones compiled, signed and stored per transaction. */
export const PLAN_BATCH_ZONES = 500;

function emptyStats(): CompileStats {
  return {
    zones: 0,
    distinctSchedules: 0,
    tracks: 0,
    ms: { read: 0, expand: 0, resolve: 0, build: 0, sign: 0, store: 0 },
  };
}

interface CompileRun {
  now: Date;
  from: Date;
  until: Date;
  expander: ScheduleExpander;
  fragments: PlanFragments;
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
   * Compiles and stores new current plans for these zones (unknown zones are ignored), in batches of
   * PLAN_BATCH_ZONES zones (a plan document can be hundreds of kB). `also` runs in the transaction of the last batch
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
          const plans = await this.prepare(batch, reason, run);
          for (const p of plans.rows) ids.set(p.zoneId, p.id);
          await this.store(m, plans);
          if (last && also) await also(m, ids);
        });
      } else {
        // SQLite: one writer; read and compile outside, then one short write transaction.
        const plans = await this.prepare(batch, reason, run);
        for (const p of plans.rows) ids.set(p.zoneId, p.id);
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
      await this.store(m, await this.prepare(batch, reason, run));
    }
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
    if (this.lastStats) this.lastStats.ms.store += Math.round(performance.now() - t);
  }

  /** One compile call's clock reading, horizon, expansions and shared fragments (never reused by another call). */
  private newRun(): CompileRun {
    const now = this.clock.now();
    const until = new Date(now.getTime() + this.config.planHorizonDays * DAY_MS);
    return {
      now,
      from: now,
      until,
      expander: new ScheduleExpander(cachedDeps(defaultDeps), now.getTime(), until.getTime()),
      fragments: new PlanFragments(),
    };
  }

  private async prepare(
    zoneIds: string[],
    reason: string,
    run: CompileRun,
  ): Promise<{ rows: Plan[]; trackSets: Map<string, string[]> }> {
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - t);
      t = now;
      return ms;
    };
    const { now, from, until, expander, fragments } = run;
    // Bodies are keyed by the resolver's objects, which are new for every batch: keep only this batch's.
    fragments.bodies.clear();
    const zones = await this.repository.zones(zoneIds);
    const schedules = await this.repository.publishedSchedules(zoneIds);
    const licences = await this.repository.licencesOfVenues(zones.map((z) => z.venueId));
    const read = lap();

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
      const built = performance.now();
      const json = signedDocumentText(this.key, compiled.text);
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
          // The signature covers every byte of the payload (planId included): hashing it is as unique as hashing
          // the whole document, without reading hundreds of kB again.
          etag: createHash('sha256')
            .update(json.slice(json.lastIndexOf('"signature":')))
            .digest('hex'),
          trackSet: compiled.trackSet,
          reason: reason.slice(0, 100),
          document: json,
          supersededAt: null,
        }),
      );
    }
    const stats = this.lastStats ?? emptyStats();
    stats.zones += rows.length;
    stats.distinctSchedules = expander.distinct;
    stats.tracks = Math.max(stats.tracks, facts.size);
    stats.ms.read += read;
    stats.ms.expand += expandMs;
    stats.ms.resolve += resolveMs;
    stats.ms.build += Math.round(buildMs);
    stats.ms.sign += Math.round(signMs);
    this.lastStats = stats;
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
