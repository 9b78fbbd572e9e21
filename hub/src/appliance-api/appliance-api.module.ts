import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppliancesModule } from '../appliances/appliances.module';
import { LicencesModule } from '../licences/licences.module';
import { PlansModule } from '../plans/plans.module';
import { PlansService } from '../plans/plans.service';
import { PlaysModule } from '../plays/plays.module';
import { PlaysService } from '../plays/plays.service';
import { TrustModule } from '../trust/trust.module';
import { CheckinController } from './checkin/checkin.controller';
import { CheckinService } from './checkin/checkin.service';
import { ApplianceDocuments } from './documents/appliance-documents.service';
import { DocumentsController } from './documents/documents.controller';
import { PlanBodies } from './documents/plan-bodies';
import { CurrentPlans, PlaysProgress } from './ports';
import { ApplianceStatusRow } from './status/appliance-status.entity';
import { ApplianceStatusRepository } from './status/appliance-status.repository';
import { OfflineSweep } from './status/offline-sweep.service';

/**
 * The endpoints appliances call (docs/appliance-api.md): check-in, plan and licence fetch; every one behind
 * `@ApplianceAuth()`. Keeps each appliance's last reported status and marks silent appliances offline.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ApplianceStatusRow]),
    AppliancesModule,
    TrustModule,
    LicencesModule,
    PlansModule,
    PlaysModule,
  ],
  controllers: [CheckinController, DocumentsController],
  providers: [
    ApplianceStatusRepository,
    ApplianceDocuments,
    CheckinService,
    OfflineSweep,
    { provide: CurrentPlans, useExisting: PlansService },
    { provide: PlanBodies, useExisting: PlansService },
    { provide: PlaysProgress, useExisting: PlaysService },
  ],
  exports: [ApplianceStatusRepository, OfflineSweep],
})
export class ApplianceApiModule {}
