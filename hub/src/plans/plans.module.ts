import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '../catalog/catalog.module';
import { TrustModule } from '../trust/trust.module';
import { Plan, PlanBody, PlanTrack } from './entities/plan.entity';
import { PlanWorker } from './plan-worker';
import { PlansController } from './plans.controller';
import { PlansRepository } from './plans.repository';
import { PlansService } from './plans.service';
import { ProgrammeSource } from './programme-source';

/** Compiled, signed plans per zone: PlansService for the appliance API, the worker that keeps them current. */
@Module({
  imports: [TypeOrmModule.forFeature([Plan, PlanTrack, PlanBody]), CatalogModule, TrustModule],
  controllers: [PlansController],
  providers: [PlansRepository, PlansService, PlanWorker, ProgrammeSource],
  exports: [PlansService, PlanWorker, ProgrammeSource],
})
export class PlansModule {}
