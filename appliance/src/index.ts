export const APPLIANCE_VERSION = 1;
