import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlanInvalidation } from './plan-invalidation.entity';
import { PlanInvalidations } from './plan-invalidations.service';

/** Global and dependency-free, so every feature that owns a plan input can mark plans stale without import cycles. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([PlanInvalidation])],
  providers: [PlanInvalidations],
  exports: [PlanInvalidations],
})
export class PlanInvalidationModule {}
