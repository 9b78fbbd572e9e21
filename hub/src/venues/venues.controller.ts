import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { CreateVenueDto, ListVenuesQuery, UpdateVenueDto } from './dto/venue.dto';
import { ZoneDto } from './dto/zone.dto';
import { VenuesService } from './venues.service';
import { ZonesService } from './zones.service';
import type { VenueView, ZoneView } from './views';
import { MANAGE_VENUES, SEE_VENUES } from './venue-roles';

@Controller('venues')
export class VenuesController {
  constructor(
    private readonly venues: VenuesService,
    private readonly zones: ZonesService,
  ) {}

  /** The venues of the caller's businesses (and, for installers, the venues they are authorised for). */
  @Get()
  @Access({ roles: SEE_VENUES, scope: 'tenant' })
  list(@Tenants() tenants: TenantFilter, @Query() query: ListVenuesQuery): Promise<VenueView[]> {
    return this.venues.list(tenants, query.venueGroupId);
  }

  /** Creates a venue in one of the caller's businesses. */
  @Post()
  @Access({ roles: MANAGE_VENUES, scope: 'tenant' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Body() dto: CreateVenueDto,
  ): Promise<VenueView> {
    return this.venues.create(principal, tenants, dto);
  }

  @Get(':id')
  @Access({ roles: SEE_VENUES, scope: 'venue' })
  get(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<VenueView> {
    return this.venues.get(tenants, id);
  }

  /** Changes name, address, time zone, opening hours or group. */
  @Patch(':id')
  @Access({ roles: MANAGE_VENUES, scope: 'venue' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateVenueDto,
  ): Promise<VenueView> {
    return this.venues.update(principal, tenants, id, dto);
  }

  /** Deletes the venue and its zones. */
  @Delete(':id')
  @HttpCode(204)
  @Access({ roles: MANAGE_VENUES, scope: 'venue' })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.venues.remove(principal, tenants, id);
  }

  @Get(':id/zones')
  @Access({ roles: SEE_VENUES, scope: 'venue' })
  listZones(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<ZoneView[]> {
    return this.zones.list(tenants, id);
  }

  @Post(':id/zones')
  @Access({ roles: MANAGE_VENUES, scope: 'venue' })
  createZone(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ZoneDto,
  ): Promise<ZoneView> {
    return this.zones.create(principal, tenants, id, dto.name);
  }
}
