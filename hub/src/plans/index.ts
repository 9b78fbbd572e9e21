export { PlansModule } from './plans.module';
export { PlansService, type StoredPlan, type CompileStats } from './plans.service';
export { PlanWorker, type WorkerRound } from './plan-worker';
export { Plan, PlanBody, PlanTrack } from './entities/plan.entity';
export { downloadBytes, PLAN_APPLIANCE_ID_LENGTH } from './plan-compiler';
export { ProgrammeSource, type ProgrammeResolution } from './programme-source';
