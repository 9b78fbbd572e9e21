import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Access } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';
import { CreateApiTokenDto } from '../dto/create-api-token.dto';
import { ApiTokenService, type ApiTokenView, type CreatedApiToken } from './api-token.service';

/** The caller's own personal API tokens. */
@Controller('auth/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokenService) {}

  /** The caller's live tokens (names and hints, never the secrets). */
  @Get()
  @Access({ scope: 'own' })
  list(@CurrentPrincipal() principal: Principal): Promise<ApiTokenView[]> {
    return this.tokens.list(principal);
  }

  /** Creates a token; the response is the only time its secret is shown. */
  @Post()
  @Access({ scope: 'own' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiTokenDto): Promise<CreatedApiToken> {
    return this.tokens.create(principal, dto.name, dto.expiresInDays);
  }

  /** Revokes one of the caller's tokens at once. */
  @Delete(':id')
  @HttpCode(204)
  @Access({ scope: 'own' })
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tokens.revoke(principal, id);
  }
}
