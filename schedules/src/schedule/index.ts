export { SCHEDULE_FORMAT_VERSION } from './model';
export type {
  Block,
  BlockLength,
  GapPolicy,
  LocalDate,
  NominalDuration,
  OccurrenceException,
  Override,
  RuleSpec,
  Schedule,
  StartMode,
  TimeOfDay,
} from './model';
export { ScheduleError, type ScheduleErrorCode } from './errors';
export type { BoundRule, ScheduleDeps, ZoneOps } from './binding';
export { defaultDeps } from './default-deps';
export { cachedDeps } from './cached-deps';
export { parseSchedule, parseScheduleJson, MAX_BLOCKS, MAX_EXCEPTIONS, MAX_OVERRIDES } from './parse';
export { MAX_BLOCK_DAYS } from './parse-fields';
export { expand, type PlanInterval } from './expand';
export { resolve, type Resolution, type TraceEntry, type TraceOutcome } from './resolve';
export { nextChange, type Change, NEXT_CHANGE_HORIZON_DAYS } from './next-change';
export { conflicts, type Conflict } from './conflicts';
export { clockChanges, type ClockChange, type ClockEffect, type ClockEffectKind } from './clock-changes';
export { compile, CompiledSchedule, type Slot } from './compile';
export { MAX_WINDOW_DAYS } from './timeline';
export { formatInstant, parseInstant, parseDuration } from './iso';
