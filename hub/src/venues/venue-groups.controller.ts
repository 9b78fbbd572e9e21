import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { CreateVenueGroupDto, RenameVenueGroupDto } from './dto/venue-group.dto';
import { VenueGroupsService } from './venue-groups.service';
import { MANAGE_VENUES } from './venue-roles';
import type { VenueGroupView, VenueView } from './views';

@Controller('venue-groups')
export class VenueGroupsController {
  constructor(private readonly groups: VenueGroupsService) {}

  @Get()
  @Access({ roles: MANAGE_VENUES, scope: 'tenant' })
  list(@Tenants() tenants: TenantFilter): Promise<VenueGroupView[]> {
    return this.groups.list(tenants);
  }

  @Post()
  @Access({ roles: MANAGE_VENUES, scope: 'tenant' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Body() dto: CreateVenueGroupDto,
  ): Promise<VenueGroupView> {
    return this.groups.create(principal, tenants, dto.organisationId, dto.name);
  }

  /** The group and its venues. */
  @Get(':id')
  @Access({ roles: MANAGE_VENUES, scope: 'venue-group' })
  get(
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<VenueGroupView & { venues: VenueView[] }> {
    return this.groups.get(tenants, id);
  }

  @Patch(':id')
  @Access({ roles: MANAGE_VENUES, scope: 'venue-group' })
  rename(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RenameVenueGroupDto,
  ): Promise<VenueGroupView> {
    return this.groups.rename(principal, tenants, id, dto.name);
  }

  /** Deletes the group; its venues stay, ungrouped. */
  @Delete(':id')
  @HttpCode(204)
  @Access({ roles: MANAGE_VENUES, scope: 'venue-group' })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.groups.remove(principal, tenants, id);
  }
}
