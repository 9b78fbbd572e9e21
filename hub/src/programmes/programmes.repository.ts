import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Track } from '../catalog/entities/track.entity';
import { Organisation, Venue, Zone } from '../tenancy/entities';
import type { TenantFilter } from '../auth/access/principal';
import { whereTenant } from '../venues/tenant-where';
import { Programme, type ProgrammeRules } from './entities/programme.entity';
import { ZoneBlockedTrack } from './entities/zone-blocked-track.entity';

/** Largest IN list a query gets: lists beyond it are split into batches (PostgreSQL and SQLite cap bound variables). */
export const IN_BATCH = 500;

/** `ids` in chunks of at most IN_BATCH. */
export function batches<T>(ids: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += IN_BATCH) out.push(ids.slice(i, i + IN_BATCH));
  return out;
}

/** The facts of a venue that programme resolution needs. */
export interface VenueFacts {
  id: string;
  organisationId: string;
  allowExplicit: boolean;
}

/** Queries of programmes and blocked tracks; tenant filtering happens here, in SQL. */
@Injectable()
export class ProgrammesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The programmes of an organisation the caller sees, by name. */
  listForOrganisation(filter: TenantFilter, organisationId: string): Promise<Programme[]> {
    const qb = this.dataSource
      .getRepository(Programme)
      .createQueryBuilder('p')
      .where('p.organisation_id = :organisationId', { organisationId });
    return whereTenant(qb, filter, 'p.organisation_id').orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC').getMany();
  }

  /** One programme, when the caller sees its organisation. */
  findVisible(filter: TenantFilter, id: string): Promise<Programme | null> {
    const qb = this.dataSource.getRepository(Programme).createQueryBuilder('p').where('p.id = :id', { id });
    return whereTenant(qb, filter, 'p.organisation_id').getOne();
  }

  findOrganisation(id: string): Promise<Organisation | null> {
    return this.dataSource.getRepository(Organisation).findOneBy({ id });
  }

  /** Programmes by id, in batches. */
  async findByIds(ids: readonly string[]): Promise<Programme[]> {
    const out: Programme[] = [];
    for (const chunk of batches([...new Set(ids)])) {
      out.push(...(await this.dataSource.getRepository(Programme).findBy({ id: In(chunk) })));
    }
    return out;
  }

  /** The ready tracks among `ids`, in batches. */
  async readyTracks(ids: readonly string[]): Promise<Track[]> {
    const out: Track[] = [];
    for (const chunk of batches([...new Set(ids)])) {
      out.push(...(await this.dataSource.getRepository(Track).findBy({ id: In(chunk), status: 'ready' })));
    }
    return out;
  }

  /**
   * The ids of the ready tracks each rules programme matches (by title then id, at most its `maxTracks`), for many
   * programmes in ONE query: a UNION ALL of one ranked sub-select per programme.
   */
  async trackIdsMatchingAll(all: readonly ProgrammeRules[]): Promise<string[][]> {
    if (all.length === 0) return [];
    const params: Record<string, unknown> = { ready: 'ready', notExplicit: false };
    const selects = all.map((rules, k) => {
      const where = ['t.status = :ready'];
      if (rules.genres.length > 0) {
        params[`genres${k}`] = rules.genres.map((g) => g.toLowerCase());
        where.push(`lower(t.genre) IN (:...genres${k})`);
      }
      if (rules.moods.length > 0) {
        params[`moods${k}`] = rules.moods.map((m) => m.toLowerCase());
        where.push(`lower(t.mood) IN (:...moods${k})`);
      }
      if (rules.bpmMin !== null) {
        params[`bpmMin${k}`] = rules.bpmMin;
        where.push(`t.bpm >= :bpmMin${k}`);
      }
      if (rules.bpmMax !== null) {
        params[`bpmMax${k}`] = rules.bpmMax;
        where.push(`t.bpm <= :bpmMax${k}`);
      }
      if (!rules.allowExplicit) where.push('t.explicit = :notExplicit');
      if (rules.ownerOrganisationIds.length > 0) {
        params[`owners${k}`] = rules.ownerOrganisationIds;
        where.push(`t.owner_organisation_id IN (:...owners${k})`);
      }
      // k and maxTracks are integers of our own (validated), so they are inlined rather than bound.
      const limit = Math.max(1, Math.trunc(rules.maxTracks));
      return (
        `SELECT ${k} AS k, s${k}.id AS id, s${k}.rn AS rn FROM (SELECT t.id AS id, ` +
        `ROW_NUMBER() OVER (ORDER BY t.title, t.id) AS rn FROM tracks t WHERE ${where.join(' AND ')} ` +
        `ORDER BY t.title, t.id LIMIT ${limit}) s${k}`
      );
    });
    const [sql, bound] = this.dataSource.driver.escapeQueryWithParameters(selects.join(' UNION ALL '), params);
    const rows: { k: number | string; id: string; rn: number | string }[] = await this.dataSource.query(sql, bound);
    const out = all.map(() => [] as { id: string; rn: number }[]);
    for (const r of rows) out[Number(r.k)].push({ id: r.id, rn: Number(r.rn) });
    return out.map((list) => list.sort((a, b) => a.rn - b.rn).map((r) => r.id));
  }

  /** Owner and explicit switch of venues, in batches. */
  async venueFacts(ids: readonly string[]): Promise<Map<string, VenueFacts>> {
    const out = new Map<string, VenueFacts>();
    for (const chunk of batches([...new Set(ids)])) {
      const rows = await this.dataSource
        .getRepository(Venue)
        .find({ where: { id: In(chunk) }, select: { id: true, organisationId: true, allowExplicit: true } });
      for (const v of rows)
        out.set(v.id, { id: v.id, organisationId: v.organisationId, allowExplicit: v.allowExplicit });
    }
    return out;
  }

  /** Blocked track ids per zone, for zones that have any, in batches. */
  async blockedByZone(zoneIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const chunk of batches([...new Set(zoneIds)])) {
      const rows = await this.dataSource
        .getRepository(ZoneBlockedTrack)
        .find({ where: { zoneId: In(chunk) }, select: { zoneId: true, trackId: true } });
      for (const r of rows) {
        const set = out.get(r.zoneId) ?? new Set<string>();
        set.add(r.trackId);
        out.set(r.zoneId, set);
      }
    }
    return out;
  }

  /** The blocked tracks of one zone, newest first. */
  listBlocked(zoneId: string): Promise<ZoneBlockedTrack[]> {
    return this.dataSource
      .getRepository(ZoneBlockedTrack)
      .find({ where: { zoneId }, order: { createdAt: 'DESC', trackId: 'ASC' } });
  }

  findBlocked(zoneId: string, trackId: string, manager?: EntityManager): Promise<ZoneBlockedTrack | null> {
    return (manager ?? this.dataSource.manager).getRepository(ZoneBlockedTrack).findOneBy({ zoneId, trackId });
  }

  findZone(id: string): Promise<Zone | null> {
    return this.dataSource.getRepository(Zone).findOneBy({ id });
  }

  findTrack(id: string): Promise<Track | null> {
    return this.dataSource.getRepository(Track).findOneBy({ id });
  }

  /** Runs `work` in one transaction (a change, its audit entry and its plan invalidation commit together). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
