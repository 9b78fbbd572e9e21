import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import type { TrackView } from '../catalog/views';
import type { Role } from '../tenancy/roles';
import { CreateProgrammeDto, UpdateProgrammeDto } from './dto/programme.dto';
import { ProgrammesService } from './programmes.service';
import type { ProgrammeView } from './views';

/** Who edits programmes: operators and the businesses' venue managers (rights owners do not programme venues). */
export const MANAGE_PROGRAMMES: readonly Role[] = ['operator', 'venue_manager'];
/** Who reads them: installers too, to check what a zone will play. */
export const SEE_PROGRAMMES: readonly Role[] = ['operator', 'venue_manager', 'installer'];

@Controller()
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  /** The programmes of a business. */
  @Get('organisations/:organisationId/programmes')
  @Access({ roles: SEE_PROGRAMMES, scope: 'organisation', param: 'organisationId' })
  list(
    @Tenants() tenants: TenantFilter,
    @Param('organisationId', ParseUUIDPipe) organisationId: string,
  ): Promise<ProgrammeView[]> {
    return this.programmes.list(tenants, organisationId);
  }

  /** Creates an ordered, shuffled or rules programme for a business. */
  @Post('organisations/:organisationId/programmes')
  @Access({ roles: MANAGE_PROGRAMMES, scope: 'organisation', param: 'organisationId' })
  create(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('organisationId', ParseUUIDPipe) organisationId: string,
    @Body() dto: CreateProgrammeDto,
  ): Promise<ProgrammeView> {
    return this.programmes.create(principal, tenants, organisationId, dto);
  }

  /** One programme; the service answers 404 unless the caller sees its business. */
  @Get('programmes/:id')
  @Access({ roles: SEE_PROGRAMMES, scope: 'tenant' })
  get(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<ProgrammeView> {
    return this.programmes.get(tenants, id);
  }

  /** The tracks the programme plays now (before a venue's explicit switch and a zone's blocked tracks). */
  @Get('programmes/:id/tracks')
  @Access({ roles: SEE_PROGRAMMES, scope: 'tenant' })
  tracks(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<TrackView[]> {
    return this.programmes.tracks(tenants, id);
  }

  /** Changes name, list or rules, or settings; bumps the version and recompiles the plans that use it. */
  @Patch('programmes/:id')
  @Access({ roles: MANAGE_PROGRAMMES, scope: 'tenant' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateProgrammeDto,
  ): Promise<ProgrammeView> {
    return this.programmes.update(principal, tenants, id, dto);
  }

  /** Deletes a programme; 409 naming the zones while a published schedule names it. */
  @Delete('programmes/:id')
  @HttpCode(204)
  @Access({ roles: MANAGE_PROGRAMMES, scope: 'tenant' })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.programmes.remove(principal, tenants, id);
  }
}
