import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { ZoneDto } from './dto/zone.dto';
import { MANAGE_VENUES, SEE_VENUES } from './venue-roles';
import type { ZoneView } from './views';
import { ZonesService } from './zones.service';

@Controller('zones')
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Get(':id')
  @Access({ roles: SEE_VENUES, scope: 'zone' })
  get(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<ZoneView> {
    return this.zones.get(tenants, id);
  }

  @Patch(':id')
  @Access({ roles: MANAGE_VENUES, scope: 'zone' })
  rename(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ZoneDto,
  ): Promise<ZoneView> {
    return this.zones.rename(principal, tenants, id, dto.name);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access({ roles: MANAGE_VENUES, scope: 'zone' })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.zones.remove(principal, tenants, id);
  }
}
