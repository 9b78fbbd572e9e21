/** ISO 3901: country (2 letters), registrant (3 alphanumerics), year (2 digits), designation (5 digits). */
const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;

/**
 * The 12-character form of an ISRC written `CC-XXX-YY-NNNNN` or `CCXXXYYNNNNN` (any case, spaces or hyphens between
 * the parts), or null when it is not a valid ISRC.
 */
export function normaliseIsrc(value: string): string | null {
  const compact = value
    .trim()
    .toUpperCase()
    .replace(/^ISRC[:\s]*/, '')
    .replace(/[-\s]/g, '');
  return ISRC.test(compact) ? compact : null;
}

/** The accepted spellings, for validators: `CC-XXX-YY-NNNNN` or its 12-character compact form. */
export const ISRC_INPUT = /^[A-Za-z]{2}-?[A-Za-z0-9]{3}-?\d{2}-?\d{5}$/;
