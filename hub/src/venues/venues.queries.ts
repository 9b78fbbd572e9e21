import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantFilter } from '../auth/access/principal';
import { Organisation, Venue, VenueGroup, Zone } from '../tenancy/entities';
import { whereTenant } from './tenant-where';

/**
 * Tenant-scoped reads of venues, zones and venue groups: every method takes the caller's TenantFilter and filters in
 * SQL, so a row of another tenant is simply absent (null / not listed), never loaded and then hidden.
 */
@Injectable()
export class VenuesQueries {
  constructor(private readonly dataSource: DataSource) {}

  listVenues(filter: TenantFilter, venueGroupId?: string): Promise<Venue[]> {
    const qb = this.dataSource.getRepository(Venue).createQueryBuilder('v');
    whereTenant(qb, filter, 'v.organisation_id', 'v.id');
    if (venueGroupId !== undefined) qb.andWhere('v.venue_group_id = :venueGroupId', { venueGroupId });
    return qb.orderBy('v.name', 'ASC').addOrderBy('v.id', 'ASC').getMany();
  }

  findVenue(filter: TenantFilter, id: string): Promise<Venue | null> {
    const qb = this.dataSource.getRepository(Venue).createQueryBuilder('v').where('v.id = :id', { id });
    return whereTenant(qb, filter, 'v.organisation_id', 'v.id').getOne();
  }

  listZones(filter: TenantFilter, venueId: string): Promise<Zone[]> {
    const qb = this.dataSource
      .getRepository(Zone)
      .createQueryBuilder('z')
      .innerJoin(Venue, 'v', 'v.id = z.venue_id')
      .where('z.venue_id = :venueId', { venueId });
    return whereTenant(qb, filter, 'v.organisation_id', 'v.id').orderBy('z.name', 'ASC').getMany();
  }

  findZone(filter: TenantFilter, id: string): Promise<Zone | null> {
    const qb = this.dataSource
      .getRepository(Zone)
      .createQueryBuilder('z')
      .innerJoin(Venue, 'v', 'v.id = z.venue_id')
      .where('z.id = :id', { id });
    return whereTenant(qb, filter, 'v.organisation_id', 'v.id').getOne();
  }

  listGroups(filter: TenantFilter): Promise<VenueGroup[]> {
    const qb = this.dataSource.getRepository(VenueGroup).createQueryBuilder('g');
    return whereTenant(qb, filter, 'g.organisation_id').orderBy('g.name', 'ASC').addOrderBy('g.id', 'ASC').getMany();
  }

  findGroup(filter: TenantFilter, id: string): Promise<VenueGroup | null> {
    const qb = this.dataSource.getRepository(VenueGroup).createQueryBuilder('g').where('g.id = :id', { id });
    return whereTenant(qb, filter, 'g.organisation_id').getOne();
  }

  /** The organisation, when the filter passes it (installer venue grants do not make an organisation visible). */
  findOrganisation(filter: TenantFilter, id: string): Promise<Organisation | null> {
    const qb = this.dataSource.getRepository(Organisation).createQueryBuilder('o').where('o.id = :id', { id });
    return whereTenant(qb, filter, 'o.id').getOne();
  }
}
