export const SCHEDULES_VERSION = 1;
