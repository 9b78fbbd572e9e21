import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { MANAGE_VENUES, SEE_VENUES } from '../venues/venue-roles';
import { BlockedTracksService } from './blocked-tracks.service';
import type { BlockedTrackView } from './views';

@Controller('zones/:zoneId/blocked-tracks')
export class BlockedTracksController {
  constructor(private readonly blocked: BlockedTracksService) {}

  /** The tracks the zone never plays. */
  @Get()
  @Access({ roles: SEE_VENUES, scope: 'zone', param: 'zoneId' })
  list(@Tenants() tenants: TenantFilter, @Param('zoneId', ParseUUIDPipe) zoneId: string): Promise<BlockedTrackView[]> {
    return this.blocked.list(tenants, zoneId);
  }

  /** Blocks a track in the zone (idempotent). */
  @Put(':trackId')
  @Access({ roles: MANAGE_VENUES, scope: 'zone', param: 'zoneId' })
  block(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('zoneId', ParseUUIDPipe) zoneId: string,
    @Param('trackId', ParseUUIDPipe) trackId: string,
  ): Promise<BlockedTrackView> {
    return this.blocked.block(principal, tenants, zoneId, trackId);
  }

  /** Unblocks a track (idempotent). */
  @Delete(':trackId')
  @HttpCode(204)
  @Access({ roles: MANAGE_VENUES, scope: 'zone', param: 'zoneId' })
  unblock(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('zoneId', ParseUUIDPipe) zoneId: string,
    @Param('trackId', ParseUUIDPipe) trackId: string,
  ): Promise<void> {
    return this.blocked.unblock(principal, tenants, zoneId, trackId);
  }
}
