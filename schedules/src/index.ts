/**
 * @roomtone/schedules: rules (RFC 5545 RRULE, cron) in IANA time zones, and the schedule model built on them
 * (blocks, overrides, exceptions; expansion to UTC plans, resolution with a trace, conflicts, clock changes).
 */
export const SCHEDULES_VERSION = 1;
export * from './rules';
export * from './schedule';
