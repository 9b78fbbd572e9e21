import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppliancesModule } from '../appliances/appliances.module';
import { Play, PlayBatchRow, PlayGap, PlaySequence } from './entities/play.entity';
import { PlansModule } from '../plans/plans.module';
import { PlanTracks } from './plan-tracks';
import { PlansPlanTracks } from './plans-plan-tracks';
import { PlayIntakeController, PlayReportsController } from './plays.controller';
import { PlaysRepository } from './plays.repository';
import { PlaysService } from './plays.service';

/** Play intake from appliances and play reports; exports PlaysService (storedThrough for check-in). */
@Module({
  imports: [TypeOrmModule.forFeature([Play, PlayBatchRow, PlaySequence, PlayGap]), AppliancesModule, PlansModule],
  controllers: [PlayIntakeController, PlayReportsController],
  providers: [PlaysRepository, PlaysService, { provide: PlanTracks, useClass: PlansPlanTracks }],
  exports: [PlaysService],
})
export class PlaysModule {}
