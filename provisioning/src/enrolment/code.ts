import { ProvisioningError } from '../errors';

/** Crockford's base32 alphabet: digits and letters without I, L, O, U (read aloud and typed without confusion). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Random characters in a code; 10 x 5 = 50 bits, ample with the hub's rate limit and lockout. */
export const CODE_DATA_LENGTH = 10;

/**
 * A new enrolment code: 10 random Crockford characters and a Luhn mod 32 check character, displayed as
 * `XXXXX-XXXXXX` (12 characters with the hyphen, 11 without). `randomBytes` is injected for tests.
 */
export function generateEnrolmentCode(randomBytes: (length: number) => Uint8Array): string {
  const chars: string[] = [];
  while (chars.length < CODE_DATA_LENGTH) {
    for (const byte of randomBytes(CODE_DATA_LENGTH)) {
      // 256 is a multiple of 32, so byte & 31 is uniform.
      if (chars.length < CODE_DATA_LENGTH) chars.push(CROCKFORD_ALPHABET[byte & 31]);
    }
  }
  const data = chars.join('');
  return formatEnrolmentCode(data + checkCharacter(data));
}

/**
 * Normalizes what a person typed (any case, hyphens or spaces anywhere, O for 0, I or L for 1) and checks the
 * check character, so a typo is reported before any network call. Returns the 11-character canonical code.
 */
export function parseEnrolmentCode(input: string): string {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (cleaned.length !== CODE_DATA_LENGTH + 1) {
    throw new ProvisioningError(
      'ENROLMENT_CODE_INVALID',
      `enrolment code must have ${CODE_DATA_LENGTH + 1} characters (like 7KQ4M-9XR2TC), got ${cleaned.length}: check the code the installer was given`,
    );
  }
  const bad = [...cleaned].find((c) => !CROCKFORD_ALPHABET.includes(c));
  if (bad !== undefined) {
    throw new ProvisioningError(
      'ENROLMENT_CODE_INVALID',
      `enrolment code contains '${bad}', which codes never use: check the code`,
    );
  }
  const data = cleaned.slice(0, CODE_DATA_LENGTH);
  if (checkCharacter(data) !== cleaned[CODE_DATA_LENGTH]) {
    throw new ProvisioningError(
      'ENROLMENT_CODE_CHECK',
      'enrolment code has a typo (its check character does not match): re-type it carefully',
    );
  }
  return cleaned;
}

/** True when `input` is a well-formed code with a correct check character. */
export function isValidEnrolmentCode(input: string): boolean {
  try {
    parseEnrolmentCode(input);
    return true;
  } catch {
    return false;
  }
}

/** The display form `XXXXX-XXXXXX` of a canonical code. */
export function formatEnrolmentCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * Luhn mod N check character over the Crockford alphabet (N = 32): catches every single-character substitution
 * and every adjacent transposition except of the two characters that map to 0 and 31 ('0' and 'Z').
 */
export function checkCharacter(data: string): string {
  const n = CROCKFORD_ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    let addend = factor * CROCKFORD_ALPHABET.indexOf(data[i]);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return CROCKFORD_ALPHABET[(n - (sum % n)) % n];
}

/** The URL (and QR) form: `roomtone://enroll?hub=<hub URL>&code=<code>`. */
export function enrolmentUrl(hubUrl: string, code: string): string {
  const params = new URLSearchParams({ hub: hubUrl, code: parseEnrolmentCode(code) });
  return `roomtone://enroll?${params.toString()}`;
}

/** Parses an enrolment URL (from a QR scan or a paste) into the hub URL and the canonical code. */
export function parseEnrolmentUrl(input: string): { hubUrl: string; code: string } {
  const invalid = (what: string) =>
    new ProvisioningError(
      'ENROLMENT_URL_INVALID',
      `enrolment URL is invalid (${what}): expected roomtone://enroll?hub=<https URL>&code=<code>`,
    );
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw invalid('not a URL');
  }
  if (url.protocol !== 'roomtone:' || url.host !== 'enroll') throw invalid('scheme or action');
  const hub = url.searchParams.get('hub');
  const code = url.searchParams.get('code');
  if (!hub || !code) throw invalid('hub or code missing');
  let hubUrl: URL;
  try {
    hubUrl = new URL(hub);
  } catch {
    throw invalid('hub is not a URL');
  }
  if (hubUrl.protocol !== 'https:' && hubUrl.protocol !== 'http:') throw invalid('hub must be http(s)');
  return { hubUrl: hubUrl.toString().replace(/\/$/, ''), code: parseEnrolmentCode(code) };
}
