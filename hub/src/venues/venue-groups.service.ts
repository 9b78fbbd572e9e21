import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { AppError, ErrorCode } from '../common/errors';
import { IdGenerator } from '../common/ids/id-generator';
import { Clock } from '../common/time/clock';
import { VenueGroup } from '../tenancy/entities';
import { VenuesQueries } from './venues.queries';
import { groupView, venueView, type VenueGroupView, type VenueView } from './views';

/** Venue groups: a business's venues managed together (a chain's region, a brand). */
@Injectable()
export class VenueGroupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: VenuesQueries,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The groups of the caller's businesses. */
  async list(filter: TenantFilter): Promise<VenueGroupView[]> {
    return (await this.queries.listGroups(filter)).map(groupView);
  }

  /** One group with its venues. */
  async get(filter: TenantFilter, id: string): Promise<VenueGroupView & { venues: VenueView[] }> {
    const group = await this.visible(filter, id);
    const venues = await this.queries.listVenues(filter, id);
    return { ...groupView(group), venues: venues.map(venueView) };
  }

  /** Creates a group in one of the caller's businesses. */
  async create(
    principal: Principal,
    filter: TenantFilter,
    organisationId: string,
    name: string,
  ): Promise<VenueGroupView> {
    const organisation = await this.queries.findOrganisation(filter, organisationId);
    if (organisation === null) throw AppError.notFound(`organisation ${organisationId}`);
    if (organisation.kind !== 'business') {
      throw new AppError(
        ErrorCode.Unprocessable,
        `organisation ${organisationId} is a label; venue groups belong to businesses`,
      );
    }
    const now = this.clock.now();
    const group = Object.assign(new VenueGroup(), {
      id: this.ids.next(),
      organisationId,
      name,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(VenueGroup).insert(group);
      await this.audit.record(
        principal,
        {
          action: 'venue_group.create',
          entityType: 'venue_group',
          entityId: group.id,
          organisationId,
          after: { name },
        },
        m,
      );
    });
    return groupView(group);
  }

  /** Renames a group. */
  async rename(principal: Principal, filter: TenantFilter, id: string, name: string): Promise<VenueGroupView> {
    const group = await this.visible(filter, id);
    const before = group.name;
    group.name = name;
    group.updatedAt = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(VenueGroup).update({ id }, { name, updatedAt: group.updatedAt });
      await this.audit.record(
        principal,
        {
          action: 'venue_group.update',
          entityType: 'venue_group',
          entityId: id,
          organisationId: group.organisationId,
          before: { name: before },
          after: { name },
        },
        m,
      );
    });
    return groupView(group);
  }

  /** Deletes a group; its venues stay, ungrouped. */
  async remove(principal: Principal, filter: TenantFilter, id: string): Promise<void> {
    const group = await this.visible(filter, id);
    await this.dataSource.transaction(async (m) => {
      await m.getRepository(VenueGroup).delete({ id });
      await this.audit.record(
        principal,
        {
          action: 'venue_group.delete',
          entityType: 'venue_group',
          entityId: id,
          organisationId: group.organisationId,
          before: { name: group.name },
        },
        m,
      );
    });
  }

  private async visible(filter: TenantFilter, id: string): Promise<VenueGroup> {
    const group = await this.queries.findGroup(filter, id);
    if (group === null) throw AppError.notFound(`venue group ${id}`);
    return group;
  }
}
