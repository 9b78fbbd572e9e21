import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { CurrentPrincipal } from '../auth/access/current-principal.decorator';
import type { Principal } from '../auth/access/principal';
import { ChangePasswordDto, CreateUserDto, UpdateProfileDto, UpdateUserDto, VenueGrantDto } from './dto/user.dto';
import { UsersService, type UserView } from './users.service';

type GrantView = { venueId: string; createdAt: string };

/**
 * Operators manage users; everyone else sees and edits only themselves (here and in GET /auth/me). The `me` routes
 * are declared before `:id` so that the route table reads in matching order (Fastify prefers static segments anyway).
 */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Patch('me')
  @Access({ scope: 'own' })
  updateProfile(@CurrentPrincipal() principal: Principal, @Body() dto: UpdateProfileDto): Promise<UserView> {
    return this.users.updateProfile(principal, dto.displayName);
  }

  /** Changes the caller's password; all their sessions end, so they sign in again. */
  @Post('me/password')
  @HttpCode(204)
  @Access({ scope: 'own' })
  changePassword(@CurrentPrincipal() principal: Principal, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.users.changePassword(principal, dto.currentPassword, dto.newPassword);
  }

  @Get()
  @Access({ roles: ['operator'], scope: 'platform' })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  @Access({ roles: ['operator'], scope: 'platform' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(principal, dto);
  }

  @Get(':id')
  @Access({ roles: ['operator'], scope: 'platform' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Patch(':id')
  @Access({ roles: ['operator'], scope: 'platform' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(principal, id, dto);
  }

  /** Lifts a sign-in lockout now. */
  @Post(':id/unlock')
  @HttpCode(200)
  @Access({ roles: ['operator'], scope: 'platform' })
  unlock(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<UserView> {
    return this.users.unlock(principal, id);
  }

  /** Venues this installer is authorised for outside their organisations. */
  @Get(':id/venue-grants')
  @Access({ roles: ['operator'], scope: 'platform' })
  venueGrants(@Param('id', ParseUUIDPipe) id: string): Promise<GrantView[]> {
    return this.users.venueGrants(id);
  }

  @Post(':id/venue-grants')
  @Access({ roles: ['operator'], scope: 'platform' })
  grantVenue(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: VenueGrantDto,
  ): Promise<GrantView> {
    return this.users.grantVenue(principal, id, dto.venueId);
  }

  @Delete(':id/venue-grants/:venueId')
  @HttpCode(204)
  @Access({ roles: ['operator'], scope: 'platform' })
  revokeVenue(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('venueId', ParseUUIDPipe) venueId: string,
  ): Promise<void> {
    return this.users.revokeVenue(principal, id, venueId);
  }
}
