const IANA_NAME = /^(?:UTC|[A-Za-z]+(?:[/_-][A-Za-z0-9_+-]+)+)$/;

/**
 * True when `zone` is an IANA time zone name this runtime knows (e.g. "Europe/Berlin", "America/Argentina/Salta",
 * "UTC"). Intl alone would also take offsets such as "+01:00", which are not zones (they have no DST rules), so the
 * name must look like an IANA identifier too. Once @roomtone/schedules exports `isValidZone`, venues should use it so
 * the hub and the schedule compiler agree on one zone database.
 */
export function isIanaTimeZone(zone: string): boolean {
  if (!IANA_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
