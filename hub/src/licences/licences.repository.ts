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

  findZone(id: string): Promise<Zone | null> {
    return this.dataSource.getRepository(Zone).findOneBy({ id });
  }
}
