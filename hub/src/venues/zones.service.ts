import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { Zone } from '../tenancy/entities';
import { VenuesQueries } from './venues.queries';
import { zoneView, type ZoneView } from './views';

/** Zones: the sound areas of a venue, each served by one appliance. Names are unique within a venue. */
@Injectable()
export class ZonesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: VenuesQueries,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The zones of a venue the caller sees. */
  async list(filter: TenantFilter, venueId: string): Promise<ZoneView[]> {
    if ((await this.queries.findVenue(filter, venueId)) === null) throw AppError.notFound(`venue ${venueId}`);
    return (await this.queries.listZones(filter, venueId)).map(zoneView);
  }

  /** One zone the caller sees. */
  async get(filter: TenantFilter, id: string): Promise<ZoneView> {
    return zoneView(await this.visible(filter, id));
  }

  /** Adds a zone to a venue. */
  async create(principal: Principal, filter: TenantFilter, venueId: string, name: string): Promise<ZoneView> {
    const venue = await this.queries.findVenue(filter, venueId);
    if (venue === null) throw AppError.notFound(`venue ${venueId}`);
    await this.assertNameFree(venueId, name);
    const now = this.clock.now();
    const zone = Object.assign(new Zone(), { id: this.ids.next(), venueId, name, createdAt: now, updatedAt: now });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Zone).insert(zone);
      await this.audit.record(
        principal,
        {
          action: 'zone.create',
          entityType: 'zone',
          entityId: zone.id,
          organisationId: venue.organisationId,
          after: { venueId, name },
        },
        m,
      );
    });
    return zoneView(zone);
  }

  /** Renames a zone. */
  async rename(principal: Principal, filter: TenantFilter, id: string, name: string): Promise<ZoneView> {
    const zone = await this.visible(filter, id);
    if (zone.name === name) return zoneView(zone);
    await this.assertNameFree(zone.venueId, name);
    const before = zone.name;
    zone.name = name;
    zone.updatedAt = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Zone).update({ id }, { name, updatedAt: zone.updatedAt });
      await this.audit.record(
        principal,
        { action: 'zone.update', entityType: 'zone', entityId: id, before: { name: before }, after: { name } },
        m,
      );
    });
    return zoneView(zone);
  }

  /** Deletes a zone. */
  async remove(principal: Principal, filter: TenantFilter, id: string): Promise<void> {
    const zone = await this.visible(filter, id);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Zone).delete({ id });
      await this.audit.record(
        principal,
        { action: 'zone.delete', entityType: 'zone', entityId: id, before: { venueId: zone.venueId, name: zone.name } },
        m,
      );
    });
  }

  private async visible(filter: TenantFilter, id: string): Promise<Zone> {
    const zone = await this.queries.findZone(filter, id);
    if (zone === null) throw AppError.notFound(`zone ${id}`);
    return zone;
  }

  private async assertNameFree(venueId: string, name: string): Promise<void> {
    if (await this.dataSource.getRepository(Zone).existsBy({ venueId, name })) {
      throw new AppError(ErrorCode.Conflict, `this venue already has a zone named '${name}'; choose another name`);
    }
  }
}
