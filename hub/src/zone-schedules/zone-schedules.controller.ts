import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { MANAGE_VENUES, SEE_VENUES } from '../venues/venue-roles';
import { ConflictsQueryDto } from './dto/conflicts-query.dto';
import type {
  PublishResult,
  ScheduleConflictsView,
  ScheduleVersionSummary,
  ScheduleVersionView,
  ZoneScheduleView,
} from './views';
import { ZoneSchedulesService } from './zone-schedules.service';

@ApiTags('zone schedules')
@Controller('zones/:zoneId/schedule')
export class ZoneSchedulesController {
  constructor(private readonly schedules: ZoneSchedulesService) {}

  /** The zone's draft and latest published version; installers may read. */
  @Get()
  @Access({ roles: SEE_VENUES, scope: 'zone', param: 'zoneId' })
  get(@Tenants() tenants: TenantFilter, @Param('zoneId', ParseUUIDPipe) zoneId: string): Promise<ZoneScheduleView> {
    return this.schedules.get(tenants, zoneId);
  }

  /** Replaces the draft with a schedule document (schedules/README.md), validated on write. */
  @Put('draft')
  @Access({ roles: MANAGE_VENUES, scope: 'zone', param: 'zoneId' })
  @ApiBody({
    description: 'A schedule document, format version 1 (schedules/README.md); `zone` defaults to the venue time zone',
    schema: { type: 'object', additionalProperties: true },
  })
  putDraft(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('zoneId', ParseUUIDPipe) zoneId: string,
    @Body() document: Record<string, unknown>,
  ): Promise<ZoneScheduleView> {
    return this.schedules.putDraft(principal, tenants, zoneId, document);
  }

  /** Publishes the draft as the next version and answers with the compiled plan's id. */
  @Post('publish')
  @HttpCode(200)
  @Access({ roles: MANAGE_VENUES, scope: 'zone', param: 'zoneId' })
  publish(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('zoneId', ParseUUIDPipe) zoneId: string,
  ): Promise<PublishResult> {
    return this.schedules.publish(principal, tenants, zoneId);
  }

  /** Overlapping equal-priority occurrences in [from, to): the draft's, else the latest published version's. */
  @Get('conflicts')
  @Access({ roles: SEE_VENUES, scope: 'zone', param: 'zoneId' })
  conflicts(
    @Tenants() tenants: TenantFilter,
    @Param('zoneId', ParseUUIDPipe) zoneId: string,
    @Query() query: ConflictsQueryDto,
  ): Promise<ScheduleConflictsView> {
    return this.schedules.conflicts(tenants, zoneId, query.from, query.to);
  }

  /** Every published version, newest first. */
  @Get('versions')
  @Access({ roles: SEE_VENUES, scope: 'zone', param: 'zoneId' })
  versions(
    @Tenants() tenants: TenantFilter,
    @Param('zoneId', ParseUUIDPipe) zoneId: string,
  ): Promise<ScheduleVersionSummary[]> {
    return this.schedules.versions(tenants, zoneId);
  }

  /** One published version with its document. */
  @Get('versions/:version')
  @Access({ roles: SEE_VENUES, scope: 'zone', param: 'zoneId' })
  version(
    @Tenants() tenants: TenantFilter,
    @Param('zoneId', ParseUUIDPipe) zoneId: string,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<ScheduleVersionView> {
    return this.schedules.version(tenants, zoneId, version);
  }
}
