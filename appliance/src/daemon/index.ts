export { DEFAULT_DATA_DIR, type DaemonConfig, DaemonConfigError, resolveDaemonConfig } from './config';
export { Daemon, type DaemonOptions, type DaemonParts, type PlaybackReport } from './daemon';
export { type Check, type DoctorDeps, formatChecks, runDoctor } from './doctor';
export type { HubLinkPort, PlayLogPort, PlayStart, TrackCachePort } from './ports';
export { SdNotifier } from './sd-notify';
export { STATUS_FILE, STATUS_STALE_MS, type StatusDoc, readStatus, statusPath, writeStatus } from './status-file';
export { buildParts, startDaemon } from './wiring';
