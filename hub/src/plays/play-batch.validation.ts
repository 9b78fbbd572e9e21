import { MAX_PLAYS_PER_BATCH, type PlayBatch, type PlayRecord } from '@roomtone/provisioning';
import { AppError, ErrorCode, type FieldProblem } from '../common/errors';
import { MAX_SECONDS_AUDIBLE } from './limits';

export { MAX_SECONDS_AUDIBLE };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[0-9a-f]{64}$/;
/** ISO 8601 UTC with milliseconds optional, 'Z' only: what the appliance writes (toISOString). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const SOURCES = new Set(['scheduled', 'override', 'announcement', 'preview']);
const QUALITIES = new Set(['full', 'preview']);
const ENDINGS = new Set(['completed', 'stopped', 'interrupted']);

type Check = (value: unknown) => string | null;

const uuid: Check = (v) => (typeof v === 'string' && UUID.test(v) ? null : 'must be a lowercase uuid');
const nullableUuid: Check = (v) => (v === null ? null : uuid(v));
const hash: Check = (v) => (typeof v === 'string' && HASH.test(v) ? null : 'must be 64 lowercase hex characters');
/** RFC 8785 cannot canonicalize a lone surrogate, so the record's hash could not be checked. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text =
  (max: number): Check =>
  (v) =>
    v === null || (typeof v === 'string' && v.length > 0 && v.length <= max && !LONE_SURROGATE.test(v))
      ? null
      : `must be null or a string of 1 to ${max} characters (well-formed UTF-16)`;
const oneOf =
  (set: Set<string>): Check =>
  (v) =>
    typeof v === 'string' && set.has(v) ? null : `must be one of ${[...set].join(', ')}`;

/** Every PlayRecord field and its check; unknown fields are refused (the hash covers them, so they would be lost). */
const FIELDS: Record<keyof Omit<PlayRecord, number>, Check> = {
  playId: uuid,
  sequence: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 2_147_483_647
      ? null
      : 'must be a whole number from 1 to 2147483647',
  prevHash: hash,
  hash,
  trackId: uuid,
  planId: nullableUuid,
  programmeId: nullableUuid,
  blockId: text(100),
  rule: text(4000),
  startedAt: (v) =>
    typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(Date.parse(v))
      ? null
      : 'must be an ISO 8601 UTC instant such as 2026-11-24T10:00:00.000Z',
  secondsAudible: (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_SECONDS_AUDIBLE
      ? null
      : `must be a number of seconds from 0 to ${MAX_SECONDS_AUDIBLE}`,
  source: oneOf(SOURCES),
  quality: oneOf(QUALITIES),
  offline: (v) => (typeof v === 'boolean' ? null : 'must be true or false'),
  ended: oneOf(ENDINGS),
};
const FIELD_NAMES = Object.keys(FIELDS);

/**
 * Checks a POST /appliance/v1/plays body by hand (not class-validator: a thousand nested objects per request on the
 * hot path). 413 PAYLOAD_TOO_LARGE over MAX_PLAYS_PER_BATCH; otherwise every problem in one 400 VALIDATION_FAILED
 * naming the play's index and field (`plays[3].startedAt`); one bad play refuses the batch, so nothing is stored.
 */
export function validatePlayBatch(body: unknown): PlayBatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw AppError.validation([{ field: 'plays', problems: ['the body must be a JSON object { "plays": [...] }'] }]);
  }
  const extra = Object.keys(body).filter((k) => k !== 'plays');
  const plays = (body as { plays?: unknown }).plays;
  const problems: FieldProblem[] = extra.map((k) => ({ field: k, problems: ['is not a PlayBatch field'] }));
  if (!Array.isArray(plays)) {
    throw AppError.validation([...problems, { field: 'plays', problems: ['must be an array of plays'] }]);
  }
  if (plays.length > MAX_PLAYS_PER_BATCH) {
    throw new AppError(
      ErrorCode.PayloadTooLarge,
      `a batch holds at most ${MAX_PLAYS_PER_BATCH} plays and this one has ${plays.length}; send the oldest ${MAX_PLAYS_PER_BATCH} first`,
      { max: MAX_PLAYS_PER_BATCH, count: plays.length },
    );
  }
  const playIds = new Map<string, number>();
  const sequences = new Map<number, number>();
  plays.forEach((play: unknown, i) => {
    if (typeof play !== 'object' || play === null || Array.isArray(play)) {
      problems.push({ field: `plays[${i}]`, problems: ['must be a PlayRecord object'] });
      return;
    }
    const record = play as Record<string, unknown>;
    for (const name of FIELD_NAMES) {
      const problem = name in record ? FIELDS[name](record[name]) : 'is required';
      if (problem !== null) problems.push({ field: `plays[${i}].${name}`, problems: [problem] });
    }
    for (const name of Object.keys(record)) {
      if (!(name in FIELDS)) problems.push({ field: `plays[${i}].${name}`, problems: ['is not a PlayRecord field'] });
    }
    const earlierId = playIds.get(record.playId as string);
    if (earlierId !== undefined) {
      problems.push({ field: `plays[${i}].playId`, problems: [`repeats plays[${earlierId}].playId`] });
    } else playIds.set(record.playId as string, i);
    const earlierSequence = sequences.get(record.sequence as number);
    if (earlierSequence !== undefined) {
      problems.push({ field: `plays[${i}].sequence`, problems: [`repeats plays[${earlierSequence}].sequence`] });
    } else sequences.set(record.sequence as number, i);
  });
  if (problems.length > 0) throw AppError.validation(problems.slice(0, 50));
  return { plays: plays as PlayRecord[] };
}
