import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal, Tenants } from '../auth/access/current-principal.decorator';
import type { Principal, TenantFilter } from '../auth/access/principal';
import { ROLES } from '../tenancy/roles';
import { AddMembershipDto, CreateOrganisationDto, RenameOrganisationDto } from './dto/organisation.dto';
import { OrganisationsService, type MembershipView, type OrganisationView } from './organisations.service';

@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  /** The organisations the caller belongs to; every organisation for operators. */
  @Get()
  @Access({ roles: ROLES, scope: 'tenant' })
  list(@Tenants() tenants: TenantFilter): Promise<OrganisationView[]> {
    return this.organisations.list(tenants);
  }

  @Post()
  @Access({ roles: ['operator'], scope: 'platform' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrganisationDto): Promise<OrganisationView> {
    return this.organisations.create(principal, dto.kind, dto.name);
  }

  @Get(':id')
  @Access({ roles: ROLES, scope: 'organisation' })
  get(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<OrganisationView> {
    return this.organisations.get(tenants, id);
  }

  @Patch(':id')
  @Access({ roles: ['operator'], scope: 'organisation' })
  rename(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RenameOrganisationDto,
  ): Promise<OrganisationView> {
    return this.organisations.rename(principal, tenants, id, dto.name);
  }

  /** Who belongs to the organisation, in which role: visible to its members. */
  @Get(':id/memberships')
  @Access({ roles: ROLES, scope: 'organisation' })
  memberships(@Tenants() tenants: TenantFilter, @Param('id', ParseUUIDPipe) id: string): Promise<MembershipView[]> {
    return this.organisations.memberships(tenants, id);
  }

  @Post(':id/memberships')
  @Access({ roles: ['operator'], scope: 'organisation' })
  addMember(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddMembershipDto,
  ): Promise<MembershipView> {
    return this.organisations.addMember(principal, tenants, id, dto.userId, dto.role);
  }

  @Delete(':id/memberships/:membershipId')
  @HttpCode(204)
  @Access({ roles: ['operator'], scope: 'organisation' })
  removeMember(
    @CurrentPrincipal() principal: Principal,
    @Tenants() tenants: TenantFilter,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('membershipId', ParseUUIDPipe) membershipId: string,
  ): Promise<void> {
    return this.organisations.removeMember(principal, tenants, id, membershipId);
  }
}
