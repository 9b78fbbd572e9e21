export { PlanInvalidation, INVALIDATION_SCOPES, type InvalidationScope } from './plan-invalidation.entity';
export { PlanInvalidations } from './plan-invalidations.service';
export { PlanInvalidationModule } from './plan-invalidation.module';
