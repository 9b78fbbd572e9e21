import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { PlanInvalidations } from '../plans/invalidation';
import { Venue, VenueGroup } from '../tenancy/entities';
import type { CreateVenueDto, UpdateVenueDto } from './dto/venue.dto';
import { assertOpeningHours, assertTimeZone, normaliseHours } from './venue-rules';
import { VenuesQueries } from './venues.queries';
import { venueView, type VenueView } from './views';

function summary(v: VenueView): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, id: _i, ...rest } = v;
  return rest;
}

/** Venues: business locations with an IANA time zone and weekly opening hours. */
@Injectable()
export class VenuesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: VenuesQueries,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly invalidations: PlanInvalidations,
  ) {}

  /** The venues the caller sees, optionally of one group. */
  async list(filter: TenantFilter, venueGroupId?: string): Promise<VenueView[]> {
    return (await this.queries.listVenues(filter, venueGroupId)).map(venueView);
  }

  /** One venue the caller sees, else NOT_FOUND. */
  async get(filter: TenantFilter, id: string): Promise<VenueView> {
    return venueView(await this.visible(filter, id));
  }

  /** Creates a venue in one of the caller's businesses. */
  async create(principal: Principal, filter: TenantFilter, dto: CreateVenueDto): Promise<VenueView> {
    const organisation = await this.queries.findOrganisation(filter, dto.organisationId);
    if (organisation === null) throw AppError.notFound(`organisation ${dto.organisationId}`);
    if (organisation.kind !== 'business') {
      throw new AppError(
        ErrorCode.Unprocessable,
        `organisation ${organisation.id} is a ${organisation.kind}; venues belong to businesses`,
      );
    }
    assertTimeZone(dto.timeZone);
    const openingHours = normaliseHours(dto.openingHours ?? []);
    assertOpeningHours(openingHours);
    await this.assertGroupOf(filter, dto.venueGroupId ?? null, organisation.id);
    const now = this.clock.now();
    const venue: Venue = Object.assign(new Venue(), {
      id: this.ids.next(),
      organisationId: organisation.id,
      venueGroupId: dto.venueGroupId ?? null,
      name: dto.name,
      address: dto.address ?? null,
      timeZone: dto.timeZone,
      openingHours,
      allowExplicit: false,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Venue).insert(venue);
      await this.record(m, principal, 'venue.create', venue, null, summary(venueView(venue)));
    });
    return venueView(venue);
  }

  /** Changes some of a venue's fields. */
  async update(principal: Principal, filter: TenantFilter, id: string, dto: UpdateVenueDto): Promise<VenueView> {
    const venue = await this.visible(filter, id);
    const before = venueView(venue);
    if (dto.timeZone !== undefined) assertTimeZone(dto.timeZone);
    if (dto.openingHours !== undefined) {
      venue.openingHours = normaliseHours(dto.openingHours ?? []);
      assertOpeningHours(venue.openingHours);
    }
    if (dto.venueGroupId !== undefined) {
      await this.assertGroupOf(filter, dto.venueGroupId, venue.organisationId);
      venue.venueGroupId = dto.venueGroupId;
    }
    if (dto.name !== undefined) venue.name = dto.name;
    if (dto.address !== undefined) venue.address = dto.address;
    if (dto.timeZone !== undefined) venue.timeZone = dto.timeZone;
    if (dto.allowExplicit !== undefined) venue.allowExplicit = dto.allowExplicit;
    venue.updatedAt = this.clock.now();
    const after = venueView(venue);
    const changes = diff(summary(before), summary(after));
    if (Object.keys(changes.after).length === 0) return before;
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Venue).update(
        { id },
        {
          name: venue.name,
          address: venue.address,
          timeZone: venue.timeZone,
          openingHours: venue.openingHours,
          venueGroupId: venue.venueGroupId,
          allowExplicit: venue.allowExplicit,
          updatedAt: venue.updatedAt,
        },
      );
      if (before.allowExplicit !== venue.allowExplicit) await this.invalidations.venue(m, id, 'venue.explicit');
      await this.record(m, principal, 'venue.update', venue, changes.before, changes.after);
    });
    return after;
  }

  /** Deletes a venue and its zones. */
  async remove(principal: Principal, filter: TenantFilter, id: string): Promise<void> {
    const venue = await this.visible(filter, id);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(Venue).delete({ id });
      await this.record(m, principal, 'venue.delete', venue, summary(venueView(venue)), null);
    });
  }

  private async visible(filter: TenantFilter, id: string): Promise<Venue> {
    const venue = await this.queries.findVenue(filter, id);
    if (venue === null) throw AppError.notFound(`venue ${id}`);
    return venue;
  }

  private async assertGroupOf(filter: TenantFilter, groupId: string | null, organisationId: string): Promise<void> {
    if (groupId === null) return;
    const group: VenueGroup | null = await this.queries.findGroup(filter, groupId);
    if (group === null || group.organisationId !== organisationId) {
      throw AppError.notFound(`venue group ${groupId} of organisation ${organisationId}`);
    }
  }

  private record(
    m: EntityManager,
    principal: Principal,
    action: string,
    venue: Venue,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    return this.audit.record(
      principal,
      { action, entityType: 'venue', entityId: venue.id, organisationId: venue.organisationId, before, after },
      m,
    );
  }
}
