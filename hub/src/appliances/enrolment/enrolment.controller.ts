import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access, Public } from '../../auth/access/access.decorator';
import { CurrentPrincipal } from '../../auth/access/current-principal.decorator';
import type { Principal } from '../../auth/access/principal';
import { CreateEnrolmentCodeDto, EnrolmentCodeView } from '../dto/enrolment-code.dto';
import { EnrolmentCodesService } from './enrolment-codes.service';
import { EnrolmentService, type EnrolmentResult } from './enrolment.service';

/** Installers ask for codes; devices enrol with them. */
@ApiTags('appliances')
@Controller()
export class EnrolmentController {
  constructor(
    private readonly codes: EnrolmentCodesService,
    private readonly enrolment: EnrolmentService,
  ) {}

  /** A one-time code to enrol an appliance into a zone (installers authorised for the venue, or operators). */
  @Post('venues/:venueId/zones/:zoneId/enrolment-codes')
  @Access({ roles: ['operator', 'installer'], scope: 'venue', param: 'venueId' })
  issue(
    @CurrentPrincipal() principal: Principal,
    @Param('venueId') venueId: string,
    @Param('zoneId') zoneId: string,
    @Body() dto: CreateEnrolmentCodeDto,
  ): Promise<EnrolmentCodeView> {
    return this.codes.issue(principal, venueId, zoneId, dto);
  }

  /**
   * Public on purpose: the device has no credentials yet. The body is provisioning's signed EnrolmentRequest (proof
   * of possession of the keys it registers); the code in it is the authorisation.
   */
  @Post('appliances/enrol')
  @Public()
  @HttpCode(201)
  @ApiBody({ description: 'roomtone.enrolment.request (see @roomtone/provisioning createEnrolmentRequest)' })
  enrol(@Body() body: unknown, @Req() request: FastifyRequest): Promise<EnrolmentResult> {
    return this.enrolment.enrol(body, request.ip ?? 'unknown');
  }
}
