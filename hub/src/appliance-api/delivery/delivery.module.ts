import { Module } from '@nestjs/common';
import { AppliancesModule } from '../../appliances/appliances.module';
import { CatalogModule } from '../../catalog/catalog.module';
import { LicencesModule } from '../../licences/licences.module';
import { trackSecretProvider } from '../../trust/track-secret.provider';
import { DeliveryController } from './delivery.controller';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryService } from './delivery.service';
import { ZONE_PLAN_TRACKS, type ZonePlanTracks } from './zone-plan-tracks';

/**
 * Until the plan compiler (hub/src/plans) provides current plans, no zone has one: every download is refused with
 * NOT_IN_PLAN, which is the safe answer.
 */
const noPlansYet: ZonePlanTracks = { trackIds: () => Promise.resolve(null) };

/** Appliance delivery: encrypted track downloads and preview streams. */
@Module({
  imports: [AppliancesModule, CatalogModule, LicencesModule],
  controllers: [DeliveryController],
  providers: [
    trackSecretProvider,
    DeliveryMetrics,
    DeliveryService,
    { provide: ZONE_PLAN_TRACKS, useValue: noPlansYet },
  ],
})
export class DeliveryModule {}
