import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { CheckinResponse } from '@roomtone/provisioning';
import {
  ApplianceAuth,
  CurrentAppliance,
  NonceStoredWithWrite,
  SignedRequestNonce,
} from '../../appliances/signed-requests/appliance-auth.decorator';
import type { SignedNonce } from '../../appliances/signed-requests/database-nonce-store';
import type { Appliance } from '../../appliances/entities/appliance.entity';
import { CheckinDto } from './checkin.dto';
import { parseCheckin } from './checkin-validator';
import { CheckinService } from './checkin.service';

/** POST /appliance/v1/checkin (docs/appliance-api.md). */
@ApiTags('appliance API')
@Controller('appliance/v1')
@ApplianceAuth()
export class CheckinController {
  constructor(private readonly checkins: CheckinService) {}

  @Post('checkin')
  @HttpCode(200)
  @NonceStoredWithWrite()
  @ApiBody({ type: CheckinDto })
  @ApiOkResponse({
    description:
      "CheckinResponse: the hub's signed time, the zone's plan id/etag and licence etag with `changed` flags, the next interval and playsStoredThrough",
  })
  checkin(
    @CurrentAppliance() appliance: Appliance,
    @SignedRequestNonce() nonce: SignedNonce,
    @Body() body: unknown,
  ): Promise<CheckinResponse> {
    return this.checkins.checkin(appliance, parseCheckin(body), nonce);
  }
}
