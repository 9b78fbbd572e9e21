export { type FollowerDeps, PlanFollower, type PlaybackStatus, type PlayerLike } from './follower';
export { type GateVerdict, evaluateGate } from './gate';
export { type RecentPlay, RecentPlays } from './history';
export { type Pick, ProgrammePicker, type Relaxation } from './picker';
export { type Interval, PlanIndex } from './plan-index';
export { replaceFileAsync } from './atomic-file';
