import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { Access } from '../auth/access/access.decorator';
import { SEE_VENUES } from '../venues/venue-roles';
import { PlansService } from './plans.service';
import type { PlanView } from './views';

@Controller()
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  /** The zone's current compiled plan (the signed payload, for the dashboard); `plan` null before the first. */
  @Get('zones/:zoneId/plan')
  @Access({ roles: SEE_VENUES, scope: 'zone', param: 'zoneId' })
  async current(@Param('zoneId', ParseUUIDPipe) zoneId: string): Promise<PlanView> {
    return (await this.plans.currentPayload(zoneId)) ?? { plan: null, etag: null, reason: null };
  }
}
