import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../../auth/access/principal';
import { ApplianceView, BundleDto, ReplaceApplianceDto, RevokeDto } from '../dto/appliance.dto';
import { ApplianceLifecycleService } from './appliance-lifecycle.service';
import { ApplianceStatusView } from './appliance-status.dto';

/** What people do to appliances: factory bundles, revoke, replace. */
@ApiTags('appliances')
@Controller()
export class AppliancesController {
  constructor(private readonly lifecycle: ApplianceLifecycleService) {}

  /** The contract of `roomtone-provision bundle` (provisioning/src/cli/commands/bundle.ts). Operators only. */
  @Post('api/venues/:venueId/appliances/bundle')
  @Access({ roles: ['operator'], scope: 'venue', param: 'venueId' })
  @HttpCode(201)
  bundle(
    @CurrentPrincipal() principal: Principal,
    @Param('venueId') venueId: string,
    @Body() dto: BundleDto,
  ): ReturnType<ApplianceLifecycleService['bundle']> {
    return this.lifecycle.bundle(principal, venueId, dto);
  }

  /** The venue's appliances with their live status: online/offline/never, state, now playing, cache, errors. */
  @Get('venues/:venueId/appliances')
  @Access({ roles: ['operator', 'venue_manager', 'installer'], scope: 'venue', param: 'venueId' })
  @ApiOkResponse({ type: [ApplianceStatusView] })
  list(@Param('venueId') venueId: string): Promise<ApplianceStatusView[]> {
    return this.lifecycle.listForVenue(venueId);
  }

  /** One appliance with its live status. */
  @Get('appliances/:id')
  @Access({ roles: ['operator', 'venue_manager', 'installer'], scope: 'tenant' })
  @ApiOkResponse({ type: ApplianceStatusView })
  get(@Tenants() tenants: TenantFilter, @Param('id') id: string): Promise<ApplianceStatusView> {
    return this.lifecycle.status(tenants, id);
  }

  /** Operators, or managers of the appliance's venue. */
  @Post('appliances/:id/revoke')
  @Access({ roles: ['operator', 'venue_manager'], scope: 'tenant' })
  @HttpCode(200)
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id') id: string,
    @Body() dto: RevokeDto,
  ): Promise<ApplianceView> {
    return this.lifecycle.revoke(principal, tenants, id, dto.reason);
  }

  @Post('zones/:zoneId/replace-appliance')
  @Access({ roles: ['operator', 'venue_manager', 'installer'], scope: 'zone', param: 'zoneId' })
  @HttpCode(200)
  replace(
    @CurrentPrincipal() principal: Principal,
    @Param('zoneId') zoneId: string,
    @Body() dto: ReplaceApplianceDto,
  ): ReturnType<ApplianceLifecycleService['replace']> {
    return this.lifecycle.replace(principal, zoneId, dto.applianceId);
  }
}
