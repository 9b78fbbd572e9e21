import { Module } from '@nestjs/common';
import { AppliancesModule } from '../../appliances/appliances.module';
import { CatalogModule } from '../../catalog/catalog.module';
import { LicencesModule } from '../../licences/licences.module';
import { PlansModule } from '../../plans/plans.module';
import { PlansService } from '../../plans/plans.service';
import { trackSecretProvider } from '../../trust/track-secret.provider';
import { DeliveryController } from './delivery.controller';
import { DeliveryMetrics } from './delivery-metrics';
import { DeliveryService } from './delivery.service';
import { ZONE_PLAN_TRACKS, type ZonePlanTracks } from './zone-plan-tracks';

/** Appliance delivery: encrypted track downloads and preview streams. */
@Module({
  imports: [AppliancesModule, CatalogModule, LicencesModule, PlansModule],
  controllers: [DeliveryController],
  providers: [
    trackSecretProvider,
    DeliveryMetrics,
    DeliveryService,
    {
      // The zone's current plan as the plan compiler stored it: its track set (cached by PlansService), not its
      // document, which every download request used to read.
      provide: ZONE_PLAN_TRACKS,
      inject: [PlansService],
      useFactory: (plans: PlansService): ZonePlanTracks => ({
        trackIds: (zoneId) => plans.currentTrackIds(zoneId),
      }),
    },
  ],
})
export class DeliveryModule {}
