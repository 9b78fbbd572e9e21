import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { SEE_VENUES } from '../venues/venue-roles';
import { AmendLicenceDto, CreateLicenceDto, RevokeLicenceDto } from './dto/licence.dto';
import { LicencesService } from './licences.service';
import type { LicenceView } from './views';

@Controller()
export class LicencesController {
  constructor(private readonly licences: LicencesService) {}

  /** The licences of a venue: its managers and installers see what the venue may receive. */
  @Get('venues/:venueId/licences')
  @Access({ roles: SEE_VENUES, scope: 'venue', param: 'venueId' })
  list(@Tenants() tenants: TenantFilter, @Param('venueId', ParseUUIDPipe) venueId: string): Promise<LicenceView[]> {
    return this.licences.list(tenants, venueId);
  }

  /** Grants a venue a licence: operators only, since licences carry the rights owners' terms. */
  @Post('venues/:venueId/licences')
  @Access({ roles: ['operator'], scope: 'venue', param: 'venueId' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('venueId', ParseUUIDPipe) venueId: string,
    @Body() dto: CreateLicenceDto,
  ): Promise<LicenceView> {
    return this.licences.create(principal, tenants, venueId, dto);
  }

  /** One licence; the service answers 404 unless the caller sees its venue. */
  @Get('licences/:id')
  @Access({ roles: SEE_VENUES, scope: 'tenant' })
  get(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<LicenceView> {
    return this.licences.get(tenants, id);
  }

  /** Amends a licence's terms (a new version, audited with before and after). */
  @Patch('licences/:id')
  @Access({ roles: ['operator'], scope: 'platform' })
  amend(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AmendLicenceDto,
  ): Promise<LicenceView> {
    return this.licences.amend(principal, tenants, id, dto);
  }

  /** Revokes a licence from now on. */
  @Post('licences/:id/revoke')
  @HttpCode(200)
  @Access({ roles: ['operator'], scope: 'platform' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RevokeLicenceDto,
  ): Promise<LicenceView> {
    return this.licences.revoke(principal, tenants, id, dto.reason);
  }
}
