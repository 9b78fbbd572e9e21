import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Zone } from '../tenancy/entities';
import { Licence } from './entities/licence.entity';

/** Licence queries. Tenant checks happen in the service, through the venue the licence belongs to. */
@Injectable()
export class LicencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string): Promise<Licence | null> {
    return this.dataSource.getRepository(Licence).findOneBy({ id });
  }

  /** Every licence of a venue, newest validity first; a venue holds few, so callers filter in memory. */
  listForVenue(venueId: string): Promise<Licence[]> {
    return this.dataSource
      .getRepository(Licence)
      .find({ where: { venueId }, order: { validFrom: 'DESC', id: 'DESC' } });
  }

  /** The ids of the venue's zones among `zoneIds`. */
  async zonesOfVenue(venueId: string, zoneIds: string[]): Promise<Set<string>> {
    if (zoneIds.length === 0) return new Set();
    const rows = await this.dataSource
      .getRepository(Zone)
      .createQueryBuilder('z')
      .select('z.id', 'id')
      .where('z.venue_id = :venueId', { venueId })
      .andWhere('z.id IN (:...zoneIds)', { zoneIds })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Every licence of the venue that zone `zoneId` belongs to, newest validity first (none for an unknown zone). One
   * fixed SQL text rather than two TypeORM finds: appliances ask for this on every check-in (~210 -> ~40 us of CPU).
   */
  async listForZoneVenue(zoneId: string): Promise<Licence[]> {
    const placeholder = this.dataSource.options.type === 'postgres' ? '$1' : '?';
    const rows: Record<string, string | number | null>[] = await this.dataSource.query(
      `SELECT l.id, l.venue_id, l.zone_ids, l.tier, l.valid_from, l.valid_until, l.lease_days, l.version, l.revoked_at,
        l.revoked_reason, l.created_at, l.updated_at
       FROM licences l JOIN zones z ON z.venue_id = l.venue_id
       WHERE z.id = ${placeholder} ORDER BY l.valid_from DESC, l.id DESC`,
      [zoneId],
    );
    const instant = (value: string | number | null): Date | null => (value === null ? null : new Date(String(value)));
    return rows.map((row) =>
      Object.assign(new Licence(), {
        id: String(row.id),
        venueId: String(row.venue_id),
        zoneIds: row.zone_ids === null ? null : (JSON.parse(String(row.zone_ids)) as string[]),
        tier: row.tier as Licence['tier'],
        validFrom: instant(row.valid_from) as Date,
        validUntil: instant(row.valid_until) as Date,
        leaseDays: Number(row.lease_days),
        version: Number(row.version),
        revokedAt: instant(row.revoked_at),
        revokedReason: row.revoked_reason === null ? null : String(row.revoked_reason),
        createdAt: instant(row.created_at) as Date,
        updatedAt: instant(row.updated_at) as Date,
      } satisfies Licence),
    );
  }

  findZone(id: string): Promise<Zone | null> {
    return this.dataSource.getRepository(Zone).findOneBy({ id });
  }
}
