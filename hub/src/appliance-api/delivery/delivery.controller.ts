import { Controller, Get, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Appliance } from '../../appliances/entities/appliance.entity';
import { ApplianceAuth, CurrentAppliance } from '../../appliances/signed-requests/appliance-auth.decorator';
import { DeliveryService } from './delivery.service';
import { serve } from './serve';

/** Track downloads and preview streams for appliances (docs/appliance-api.md), every call signed. */
@ApiTags('appliance API')
@Controller('appliance/v1')
@ApplianceAuth()
export class DeliveryController {
  constructor(private readonly delivery: DeliveryService) {}

  @Get('tracks/:trackId')
  @ApiOperation({
    summary: 'The track encrypted for the calling appliance (provisioning/FORMAT.md); Range, If-Range, ETag',
  })
  @ApiProduces('application/octet-stream')
  async download(
    @CurrentAppliance() appliance: Appliance,
    @Param('trackId', ParseUUIDPipe) trackId: string,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    await serve(request, response, await this.delivery.encrypted(appliance, trackId));
  }

  @Get('tracks/:trackId/preview')
  @ApiOperation({ summary: 'The preview (48 kbps MP3) of a track in the caller’s plan, for playing from memory' })
  @ApiProduces('audio/mpeg')
  async preview(
    @CurrentAppliance() appliance: Appliance,
    @Param('trackId', ParseUUIDPipe) trackId: string,
    @Req() request: FastifyRequest,
    @Res() response: FastifyReply,
  ): Promise<void> {
    await serve(request, response, await this.delivery.preview(appliance, trackId));
  }
}
