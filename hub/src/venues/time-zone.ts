import { isValidZone } from '@roomtone/schedules';

/**
 * True when `zone` is an IANA time zone name (e.g. "Europe/Berlin", "America/Argentina/Salta", "UTC"). Delegates to
 * the schedules library, so a venue accepted here is always one the schedule compiler can evaluate rules in.
 */
export function isIanaTimeZone(zone: string): boolean {
  return isValidZone(zone);
}
