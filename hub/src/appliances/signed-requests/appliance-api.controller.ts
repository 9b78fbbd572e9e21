import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { SignedDocument } from '@roomtone/provisioning';
import { DocumentSigner, type HubTimePayload } from '../../trust/document-signer.service';
import type { Appliance } from '../entities/appliance.entity';
import { ApplianceLifecycleService } from '../lifecycle/appliance-lifecycle.service';
import { ApplianceAuth, CurrentAppliance } from './appliance-auth.decorator';

/** Endpoints appliances call, every one behind a verified RFC 9421 signature. */
@ApiTags('appliance API')
@Controller('appliance/v1')
@ApplianceAuth()
export class ApplianceApiController {
  constructor(
    private readonly signer: DocumentSigner,
    private readonly lifecycle: ApplianceLifecycleService,
  ) {}

  /** Who the hub thinks the caller is, and the hub's signed time. */
  @Get('whoami')
  whoami(@CurrentAppliance() appliance: Appliance): {
    applianceId: string;
    venueId: string;
    zoneId: string | null;
    time: SignedDocument<HubTimePayload>;
  } {
    return {
      applianceId: appliance.id,
      venueId: appliance.venueId,
      zoneId: appliance.zoneId,
      time: this.signer.signedTime(appliance.id),
    };
  }

  /** Body: provisioning's KeyRotationMessage (new keys signed by the old key and the new). */
  @Post('keys/rotate')
  @HttpCode(200)
  rotate(
    @CurrentAppliance() appliance: Appliance,
    @Body() body: unknown,
  ): Promise<{ applianceId: string; signingKey: string }> {
    return this.lifecycle.rotate(appliance, body);
  }
}
