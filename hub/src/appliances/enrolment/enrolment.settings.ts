import type { FailureLimit } from './guess-throttle';

/** Wrong enrolment attempts (bad code, bad check character, bad proof) allowed per client address. */
export const ENROL_FAILURES_PER_IP: FailureLimit = { limit: 10, windowMs: 15 * 60_000 };

/**
 * Wrong codes allowed per code prefix from all addresses together: an attacker spreading guesses over many
 * addresses still cannot hammer the neighbourhood of one code.
 */
export const ENROL_FAILURES_PER_PREFIX: FailureLimit = { limit: 20, windowMs: 15 * 60_000 };

/** Failed guesses sharing a live code's prefix after which that code locks for good (ask for a new one). */
export const CODE_LOCK_AFTER_FAILURES = 5;

/** Characters of the canonical code kept in clear to count near-miss guesses (4 x 5 = 20 of its 50 bits). */
export const CODE_PREFIX_LENGTH = 4;

/** Limits on what an installer may ask for. */
export const MAX_CODE_TTL_HOURS = 168;
