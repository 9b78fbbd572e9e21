export { type MonotonicClock, type WallClock, ManualClocks, systemMonotonicClock, systemWallClock } from './clocks';
export {
  type HubTimeSample,
  MAX_WALL_SKEW_MS,
  type PlausibleWindow,
  type TimeVerdict,
  TrustedTime,
  type TrustedTimeDeps,
} from './trusted-time';
