import { Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppliancesModule } from '../appliances/appliances.module';
import { LicencesModule } from '../licences/licences.module';
import { TrustModule } from '../trust/trust.module';
import { CheckinController } from './checkin/checkin.controller';
import { CheckinService } from './checkin/checkin.service';
import { ApplianceDocuments } from './documents/appliance-documents.service';
import { DocumentsController } from './documents/documents.controller';
import { CurrentPlans, PlaysProgress, type CurrentPlan } from './ports';
import { ApplianceStatusRow } from './status/appliance-status.entity';
import { ApplianceStatusRepository } from './status/appliance-status.repository';
import { OfflineSweep } from './status/offline-sweep.service';

/** Until the plans feature is wired in: no zone has a plan. */
@Injectable()
class NoPlansYet extends CurrentPlans {
  current(): Promise<CurrentPlan | null> {
    return Promise.resolve(null);
  }
}

/** Until play intake is wired in: nothing stored. */
@Injectable()
class NoPlaysYet extends PlaysProgress {
  storedThrough(): Promise<number> {
    return Promise.resolve(0);
  }
}

/**
 * The endpoints appliances call (docs/appliance-api.md): check-in, plan and licence fetch; every one behind
 * `@ApplianceAuth()`. Keeps each appliance's last reported status and marks silent appliances offline.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApplianceStatusRow]), AppliancesModule, TrustModule, LicencesModule],
  controllers: [CheckinController, DocumentsController],
  providers: [
    ApplianceStatusRepository,
    ApplianceDocuments,
    CheckinService,
    OfflineSweep,
    { provide: CurrentPlans, useClass: NoPlansYet },
    { provide: PlaysProgress, useClass: NoPlaysYet },
  ],
  exports: [ApplianceStatusRepository, OfflineSweep],
})
export class ApplianceApiModule {}
