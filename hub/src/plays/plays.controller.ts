import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { PlayBatchResult } from '@roomtone/provisioning';
import type { FastifyRequest } from 'fastify';
import {
  ApplianceAuth,
  CurrentAppliance,
  NonceStoredWithWrite,
  SignedRequestNonce,
} from '../appliances/signed-requests/appliance-auth.decorator';
import type { SignedNonce } from '../appliances/signed-requests/database-nonce-store';
import type { Appliance } from '../appliances/entities/appliance.entity';
import { Access } from '../auth/access/access.decorator';
import { TrackPlaysQuery, VenuePlaysQuery } from './dto/play-queries.dto';
import type { PlayConflict } from './intake-steps';
import { PlaysService } from './plays.service';
import type { PlayPage, TrackPlaysSummary } from './views';

/** POST /appliance/v1/plays (docs/appliance-api.md "Plays"). */
@ApiTags('appliance API')
@Controller('appliance/v1')
@ApplianceAuth()
export class PlayIntakeController {
  constructor(private readonly plays: PlaysService) {}

  /** The body is checked by hand (validatePlayBatch): 400 naming plays[i].field, 413 above MAX_PLAYS_PER_BATCH. */
  @Post('plays')
  @HttpCode(200)
  @NonceStoredWithWrite()
  @ApiBody({ description: 'PlayBatch (provisioning/src/api/plays.ts)', schema: { type: 'object' } })
  @ApiOkResponse({
    description:
      'PlayBatchResult, after the batch is durable: accepted, duplicates, flagged, gaps, storedThrough, and conflicts (play ids or sequences already stored with other content: not stored again)',
  })
  intake(
    @CurrentAppliance() appliance: Appliance,
    @SignedRequestNonce() nonce: SignedNonce,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<PlayBatchResult & { conflicts: PlayConflict[] }> {
    const header = (name: string) => String(request.headers[name] ?? '');
    return this.plays.intake(
      appliance,
      body,
      { digest: header('content-digest'), signatureInput: header('signature-input'), signature: header('signature') },
      nonce,
    );
  }
}

/** Plays for people: a venue's plays, a track's plays per day. */
@ApiTags('plays')
@Controller()
export class PlayReportsController {
  constructor(private readonly plays: PlaysService) {}

  /** A venue's plays, oldest first, paged; for its managers and operators. */
  @Get('venues/:venueId/plays')
  @Access({ roles: ['operator', 'venue_manager'], scope: 'venue', param: 'venueId' })
  venuePlays(@Param('venueId', ParseUUIDPipe) venueId: string, @Query() query: VenuePlaysQuery): Promise<PlayPage> {
    return this.plays.venuePlays(venueId, query);
  }

  /** A track's plays per UTC day; for the rights owner of the track and operators. */
  @Get('tracks/:id/plays')
  @Access({ roles: ['operator', 'rights_owner'], scope: 'track' })
  trackPlays(@Param('id', ParseUUIDPipe) id: string, @Query() query: TrackPlaysQuery): Promise<TrackPlaysSummary> {
    return this.plays.trackPlays(id, query);
  }
}
