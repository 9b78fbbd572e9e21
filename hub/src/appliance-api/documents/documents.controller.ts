import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApplianceAuth, CurrentAppliance } from '../../appliances/signed-requests/appliance-auth.decorator';
import type { Appliance } from '../../appliances/entities/appliance.entity';
import { ApplianceDocuments } from './appliance-documents.service';
import { sendDocument, sendImmutable } from './etag';

/** The signed plan and licence documents (docs/appliance-api.md): exact bytes, strong ETags, 304 when unchanged. */
@ApiTags('appliance API')
@Controller('appliance/v1')
@ApplianceAuth()
export class DocumentsController {
  constructor(private readonly documents: ApplianceDocuments) {}

  @Get('plan')
  @ApiOkResponse({ description: 'SignedDocument<PlanEnvelope>, byte for byte as compiled; 304 on If-None-Match' })
  async plan(
    @CurrentAppliance() appliance: Appliance,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const plan = await this.documents.plan(appliance);
    sendDocument(res, plan.json, plan.etag, ifNoneMatch);
  }

  @Get('plan-bodies/:sha256')
  @ApiOkResponse({
    description:
      'PlanTimelineBody or PlanCatalogueBody: the exact canonical bytes whose SHA-256 the signed plan names; immutable, ETag = the hash; 403 NOT_IN_PLAN, 404 PLAN_BODY_NOT_FOUND',
  })
  async planBody(
    @CurrentAppliance() appliance: Appliance,
    @Param('sha256') sha256: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const text = await this.documents.planBody(appliance, sha256);
    sendImmutable(res, text, sha256, ifNoneMatch);
  }

  @Get('licence')
  @ApiOkResponse({ description: 'SignedDocument<LicencePayload>; 304 on If-None-Match' })
  async licence(
    @CurrentAppliance() appliance: Appliance,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const licence = await this.documents.licence(appliance);
    sendDocument(res, licence.json, licence.etag, ifNoneMatch);
  }
}
