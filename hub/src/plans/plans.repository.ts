import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { Licence } from '../licences/entities/licence.entity';
import { PlanInvalidation } from './invalidation';
import { Plan, PlanTrack } from './entities/plan.entity';
import { envelopeContent } from './plan-compiler';

/** A zone with what compiling its plan needs from the tenancy tables. */
export interface ZoneToCompile {
  zoneId: string;
  venueId: string;
  timeZone: string;
}

/** A zone's latest published schedule version. */
export interface PublishedSchedule {
  zoneId: string;
  version: number;
  document: string;
}

/** A zone's current plan as a recompilation compares against it. */
export interface CurrentEnvelope {
  id: string;
  zoneId: string;
  horizonFrom: Date;
  horizonUntil: Date;
  /** The envelope's canonical JSON without planId and compiledAt (plan-compiler's envelopeContent). */
  content: string;
}

/** A plan body to store (content-addressed). */
export interface StoredBody {
  sha256: string;
  kind: 'timeline' | 'catalogue';
  bytes: number;
  text: string;
}

/** The current plan row without its document. */
export type PlanHead = Omit<Plan, 'document' | 'zone'>;

/** IN lists stay below every driver's parameter limit. */
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Queries of the plan compiler and of PlansService. Every method is a constant number of queries per 500 ids. */
@Injectable()
export class PlansRepository {
  constructor(private readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  /** `$1, $2...` on PostgreSQL, `?` on SQLite. */
  private params(count: number, offset = 0): string {
    return Array.from({ length: count }, (_, i) => (this.isPostgres ? `$${i + 1 + offset}` : '?')).join(', ');
  }

  /** The current plan of a zone, document included: one indexed query. */
  async current(zoneId: string): Promise<Plan | null> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT id, zone_id, venue_id, etag, track_set, horizon_from, horizon_until, licence_tier, document
         FROM plans WHERE zone_id = ${this.params(1)} AND superseded_at IS NULL
         ORDER BY compiled_at DESC, id DESC LIMIT 1`,
      [zoneId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return Object.assign(new Plan(), {
      id: row.id as string,
      zoneId: row.zone_id as string,
      venueId: row.venue_id as string,
      etag: row.etag as string,
      trackSet: row.track_set as string,
      horizonFrom: new Date(row.horizon_from as string),
      horizonUntil: new Date(row.horizon_until as string),
      licenceTier: row.licence_tier as Plan['licenceTier'],
      document: row.document as string,
    });
  }

  /** The current plan's id, ETag and track set, or null: the row `current` reads, without its document. */
  async currentId(zoneId: string): Promise<{ id: string; etag: string; track_set: string } | null> {
    const rows = await this.dataSource.query<{ id: string; etag: string; track_set: string }[]>(
      `SELECT id, etag, track_set FROM plans WHERE zone_id = ${this.params(1)} AND superseded_at IS NULL
         ORDER BY compiled_at DESC, id DESC LIMIT 1`,
      [zoneId],
    );
    return rows[0] ?? null;
  }

  /** The current plan's head (no document), or null. */
  currentHead(zoneId: string): Promise<PlanHead | null> {
    return this.dataSource.getRepository(Plan).findOne({
      where: { zoneId, supersededAt: IsNull() },
      select: HEAD_COLUMNS,
      order: { compiledAt: 'DESC', id: 'DESC' },
    });
  }

  /** The current plans of these zones, read with `manager` (inside the compile's transaction on PostgreSQL). */
  async currentEnvelopes(manager: EntityManager, zoneIds: readonly string[]): Promise<Map<string, CurrentEnvelope>> {
    const out = new Map<string, CurrentEnvelope>();
    for (const part of chunks([...new Set(zoneIds)])) {
      const rows = await manager.query<
        { id: string; zone_id: string; horizon_from: string; horizon_until: string; document: string }[]
      >(
        `SELECT id, zone_id, horizon_from, horizon_until, document FROM plans
          WHERE superseded_at IS NULL AND zone_id IN (${this.params(part.length)})`,
        part,
      );
      for (const r of rows) {
        const payload = (JSON.parse(r.document) as { payload: Record<string, unknown> }).payload;
        out.set(r.zone_id, {
          id: r.id,
          zoneId: r.zone_id,
          horizonFrom: new Date(r.horizon_from),
          horizonUntil: new Date(r.horizon_until),
          content: envelopeContent(payload),
        });
      }
    }
    return out;
  }

  /** A body's exact text, or null. */
  async body(sha256: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ body: string }[]>(
      `SELECT body FROM plan_bodies WHERE sha256 = ${this.params(1)}`,
      [sha256],
    );
    return rows[0]?.body ?? null;
  }

  /** True when a plan of the zone still kept (current or superseded, not pruned) references the body. */
  async bodyReferenced(zoneId: string, sha256: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM plans WHERE zone_id = ${this.params(1)}
          AND (timeline_sha256 = ${this.params(1, 1)} OR catalogue_sha256 = ${this.params(1, 1)}) LIMIT 1`,
      this.isPostgres ? [zoneId, sha256] : [zoneId, sha256, sha256],
    );
    return rows.length > 0;
  }

  /** The track ids of each track set. */
  async tracksOfSets(sets: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks([...new Set(sets)])) {
      const rows = await this.dataSource.query<{ track_set: string; track_id: string }[]>(
        `SELECT track_set, track_id FROM plan_tracks WHERE track_set IN (${this.params(part.length)})`,
        part,
      );
      for (const row of rows) {
        const list = out.get(row.track_set) ?? [];
        list.push(row.track_id);
        out.set(row.track_set, list);
      }
    }
    return out;
  }

  /** plan id -> track set, for any plans (current or superseded). */
  async setsOfPlans(planIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const part of chunks([...new Set(planIds)])) {
      const rows = await this.dataSource.query<{ id: string; track_set: string }[]>(
        `SELECT id, track_set FROM plans WHERE id IN (${this.params(part.length)})`,
        part,
      );
      for (const row of rows) out.set(row.id, row.track_set);
    }
    return out;
  }

  /** Zones with their venue's time zone. */
  async zones(zoneIds: readonly string[]): Promise<ZoneToCompile[]> {
    const out: ZoneToCompile[] = [];
    for (const part of chunks([...new Set(zoneIds)])) {
      const rows = await this.dataSource.query<{ id: string; venue_id: string; time_zone: string }[]>(
        `SELECT z.id, z.venue_id, v.time_zone FROM zones z JOIN venues v ON v.id = z.venue_id
          WHERE z.id IN (${this.params(part.length)})`,
        part,
      );
      for (const r of rows) out.push({ zoneId: r.id, venueId: r.venue_id, timeZone: r.time_zone });
    }
    return out;
  }

  /** The latest published schedule of each zone that has one. */
  async publishedSchedules(zoneIds: readonly string[]): Promise<Map<string, PublishedSchedule>> {
    const out = new Map<string, PublishedSchedule>();
    for (const part of chunks([...new Set(zoneIds)])) {
      const rows = await this.dataSource.query<{ zone_id: string; version: number; document: string }[]>(
        `SELECT s.zone_id, v.version, v.document FROM zone_schedules s
           JOIN zone_schedule_versions v ON v.zone_id = s.zone_id AND v.version = s.latest_version
          WHERE s.zone_id IN (${this.params(part.length)})`,
        part,
      );
      for (const r of rows) {
        out.set(r.zone_id, { zoneId: r.zone_id, version: Number(r.version), document: r.document });
      }
    }
    return out;
  }

  /** Every licence of these venues (a venue holds few). */
  async licencesOfVenues(venueIds: readonly string[]): Promise<Map<string, Licence[]>> {
    const out = new Map<string, Licence[]>();
    const repo = this.dataSource.getRepository(Licence);
    for (const part of chunks([...new Set(venueIds)])) {
      const rows = await repo
        .createQueryBuilder('l')
        .where('l.venue_id IN (:...ids)', { ids: part })
        .orderBy('l.valid_from', 'DESC')
        .addOrderBy('l.id', 'DESC')
        .getMany();
      for (const l of rows) {
        const list = out.get(l.venueId) ?? [];
        list.push(l);
        out.set(l.venueId, list);
      }
    }
    return out;
  }

  /** Every zone id (scope 'all'). */
  async allZoneIds(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>('SELECT id FROM zones ORDER BY id');
    return rows.map((r) => r.id);
  }

  /** The zones of these venues. */
  async zonesOfVenues(venueIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const part of chunks([...new Set(venueIds)])) {
      const rows = await this.dataSource.query<{ id: string }[]>(
        `SELECT id FROM zones WHERE venue_id IN (${this.params(part.length)})`,
        part,
      );
      out.push(...rows.map((r) => r.id));
    }
    return out;
  }

  /** Zones whose latest published schedule names one of these programmes. */
  async zonesNamingProgrammes(programmeIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const part of chunks([...new Set(programmeIds)])) {
      const rows = await this.dataSource.query<{ zone_id: string }[]>(
        `SELECT DISTINCT zone_id FROM zone_schedule_programmes WHERE programme_id IN (${this.params(part.length)})`,
        part,
      );
      out.push(...rows.map((r) => r.zone_id));
    }
    return out;
  }

  /** Zones whose current plan includes one of these tracks. */
  async zonesWithTracks(trackIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const part of chunks([...new Set(trackIds)])) {
      const rows = await this.dataSource.query<{ zone_id: string }[]>(
        `SELECT DISTINCT p.zone_id FROM plan_tracks t JOIN plans p ON p.track_set = t.track_set
          WHERE t.track_id IN (${this.params(part.length)}) AND p.superseded_at IS NULL`,
        part,
      );
      out.push(...rows.map((r) => r.zone_id));
    }
    return out;
  }

  /**
   * Zones whose latest published schedule names a rules programme (hub/src/programmes: `programmes.kind`), which a
   * track that became ready or changed its tags may now match.
   */
  async zonesNamingRulesProgrammes(): Promise<string[]> {
    const rows = await this.dataSource.query<{ zone_id: string }[]>(
      `SELECT DISTINCT s.zone_id FROM zone_schedule_programmes s
         JOIN programmes p ON p.id = s.programme_id
        WHERE p.kind = 'rules'`,
    );
    return rows.map((r) => r.zone_id);
  }

  /**
   * Current plans due for recompilation: horizon started before `staleBefore`, or the licence changes by itself
   * at or before `now`. At most `limit`.
   */
  async dueZones(staleBefore: Date, now: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ zone_id: string }[]>(
      `SELECT zone_id FROM plans WHERE superseded_at IS NULL
          AND (horizon_from < ${this.params(1)} OR licence_change_at <= ${this.params(1, 1)})
        ORDER BY horizon_from LIMIT ${Number(limit)}`,
      [staleBefore.toISOString(), now.toISOString()],
    );
    return rows.map((r) => r.zone_id);
  }

  /**
   * Claims up to `limit` invalidation rows inside `manager`'s transaction: on PostgreSQL with FOR UPDATE SKIP
   * LOCKED so several hubs share the work; SQLite has a single writer, so the transaction already excludes others.
   */
  async claimInvalidations(manager: EntityManager, limit: number): Promise<PlanInvalidation[]> {
    const lock = this.isPostgres ? ' FOR UPDATE SKIP LOCKED' : '';
    const rows = await manager.query<{ id: string; scope: string; scope_id: string | null; reason: string }[]>(
      `SELECT id, scope, scope_id, reason FROM plan_invalidations ORDER BY created_at, id LIMIT ${Number(limit)}${lock}`,
    );
    return rows.map((r) =>
      Object.assign(new PlanInvalidation(), {
        id: r.id,
        scope: r.scope as PlanInvalidation['scope'],
        scopeId: r.scope_id,
        reason: r.reason,
      }),
    );
  }

  async deleteInvalidations(manager: EntityManager, ids: readonly string[]): Promise<void> {
    for (const part of chunks(ids)) {
      await manager.query(`DELETE FROM plan_invalidations WHERE id IN (${this.params(part.length)})`, part);
    }
  }

  /** Locks the zones' rows until commit (PostgreSQL), so two hubs compiling one zone serialise. */
  async lockZones(manager: EntityManager, zoneIds: readonly string[]): Promise<void> {
    if (!this.isPostgres) return;
    for (const part of chunks([...zoneIds].sort())) {
      await manager.query(
        `SELECT id FROM zones WHERE id IN (${this.params(part.length)}) ORDER BY id FOR UPDATE`,
        part,
      );
    }
  }

  /**
   * Supersedes the zones' current plans and stores the new ones, with the track sets and bodies not stored yet
   * (bodies already stored get `last_used_at` = now, so a concurrent prune cannot take them); kept plans only get
   * their next licence change.
   */
  async storePlans(
    manager: EntityManager,
    batch: {
      rows: readonly Plan[];
      trackSets: ReadonlyMap<string, readonly string[]>;
      bodies: ReadonlyMap<string, StoredBody>;
      kept: readonly { id: string; licenceChangeAt: Date | null }[];
    },
    now: Date,
  ): Promise<void> {
    const { rows: plans, trackSets, bodies, kept } = batch;
    for (const k of kept) {
      await manager.query(`UPDATE plans SET licence_change_at = ${this.params(1)} WHERE id = ${this.params(1, 1)}`, [
        k.licenceChangeAt?.toISOString() ?? null,
        k.id,
      ]);
    }
    if (plans.length === 0) return;
    const zoneIds = plans.map((p) => p.zoneId);
    for (const part of chunks(zoneIds)) {
      await manager.query(
        `UPDATE plans SET superseded_at = ${this.params(1)}
          WHERE superseded_at IS NULL AND zone_id IN (${this.params(part.length, 1)})`,
        [now.toISOString(), ...part],
      );
    }
    const knownBodies = new Set<string>();
    for (const part of chunks([...bodies.keys()])) {
      const rows = await manager.query<{ sha256: string }[]>(
        `SELECT sha256 FROM plan_bodies WHERE sha256 IN (${this.params(part.length)})`,
        part,
      );
      for (const r of rows) knownBodies.add(r.sha256);
      if (rows.length > 0) {
        const known = rows.map((r) => r.sha256);
        await manager.query(
          `UPDATE plan_bodies SET last_used_at = ${this.params(1)} WHERE sha256 IN (${this.params(known.length, 1)})`,
          [now.toISOString(), ...known],
        );
      }
    }
    for (const body of bodies.values()) {
      if (knownBodies.has(body.sha256)) continue;
      // Another hub may store the same body meanwhile: same bytes by construction, so either row will do.
      await manager.query(
        `INSERT INTO plan_bodies (sha256, kind, bytes, body, last_used_at) VALUES (${this.params(5)})
         ON CONFLICT (sha256) DO UPDATE SET last_used_at = excluded.last_used_at`,
        [body.sha256, body.kind, body.bytes, body.text, now.toISOString()],
      );
    }
    const known = new Set<string>();
    for (const part of chunks([...trackSets.keys()])) {
      const rows = await manager.query<{ track_set: string }[]>(
        `SELECT DISTINCT track_set FROM plan_tracks WHERE track_set IN (${this.params(part.length)})`,
        part,
      );
      for (const r of rows) known.add(r.track_set);
    }
    const rows: PlanTrack[] = [];
    for (const [set, ids] of trackSets) {
      if (known.has(set)) continue;
      for (const trackId of ids) rows.push(Object.assign(new PlanTrack(), { trackSet: set, trackId }));
    }
    // Plain multi-row INSERTs: TypeORM's insert() spends more on building them than the database on running them.
    const iso = (d: Date | null) => (d === null ? null : d.toISOString());
    for (const part of chunks(plans, 100)) {
      const values = part.map((_, i) => `(${this.params(PLAN_COLUMNS.length, i * PLAN_COLUMNS.length)})`).join(', ');
      await manager.query(
        `INSERT INTO plans (${PLAN_COLUMNS.join(', ')}) VALUES ${values}`,
        part.flatMap((p) => [
          p.id,
          p.zoneId,
          p.venueId,
          p.scheduleVersion,
          p.licenceId,
          p.licenceVersion,
          p.licenceTier,
          iso(p.licenceChangeAt),
          iso(p.compiledAt),
          iso(p.horizonFrom),
          iso(p.horizonUntil),
          p.etag,
          p.trackSet,
          p.timelineSha256,
          p.catalogueSha256,
          p.reason,
          p.document,
          iso(p.supersededAt),
        ]),
      );
    }
    const tracks = manager.getRepository(PlanTrack);
    for (const part of chunks(rows, 400)) await tracks.insert(part);
  }

  /**
   * Deletes plans superseded before `before`, track sets no plan uses any more, and bodies no plan references that
   * no compilation used since `before` (a compile that reuses a body sets its last_used_at in its own transaction).
   */
  async prune(before: Date): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const doomed = await m.query<{ id: string }[]>(
        `SELECT id FROM plans WHERE superseded_at IS NOT NULL AND superseded_at < ${this.params(1)}`,
        [before.toISOString()],
      );
      if (doomed.length === 0) return 0;
      for (const part of chunks(doomed.map((r) => r.id))) {
        await m.query(`DELETE FROM plans WHERE id IN (${this.params(part.length)})`, part);
      }
      await m.query('DELETE FROM plan_tracks WHERE track_set NOT IN (SELECT track_set FROM plans)');
      await m.query(
        `DELETE FROM plan_bodies WHERE last_used_at < ${this.params(1)}
            AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.timeline_sha256 = plan_bodies.sha256)
            AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.catalogue_sha256 = plan_bodies.sha256)`,
        [before.toISOString()],
      );
      return doomed.length;
    });
  }
}

/** The columns storePlans writes, in the order of its values. */
const PLAN_COLUMNS = [
  'id',
  'zone_id',
  'venue_id',
  'schedule_version',
  'licence_id',
  'licence_version',
  'licence_tier',
  'licence_change_at',
  'compiled_at',
  'horizon_from',
  'horizon_until',
  'etag',
  'track_set',
  'timeline_sha256',
  'catalogue_sha256',
  'reason',
  'document',
  'superseded_at',
] as const;

const HEAD_COLUMNS = {
  id: true,
  zoneId: true,
  venueId: true,
  scheduleVersion: true,
  licenceId: true,
  licenceVersion: true,
  licenceTier: true,
  licenceChangeAt: true,
  compiledAt: true,
  horizonFrom: true,
  horizonUntil: true,
  etag: true,
  trackSet: true,
  timelineSha256: true,
  catalogueSha256: true,
  reason: true,
  supersededAt: true,
} as const;
