export { PlaysModule } from './plays.module';
export { PlaysService } from './plays.service';
export { PlanTracks, type PlanQuestion } from './plan-tracks';
export { Play, PlayBatchRow, PlayGap, PlaySequence } from './entities/play.entity';
