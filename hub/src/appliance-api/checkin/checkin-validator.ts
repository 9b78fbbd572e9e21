import type { ApplianceState, CheckinRequest } from '@roomtone/provisioning';
import { AppError, type FieldProblem } from '../../common/errors';

/** Every ApplianceState; the type check below keeps it equal to the wire contract's union. */
export const APPLIANCE_STATES = [
  'starting',
  'playing',
  'silent',
  'no-plan',
  'no-licence',
  'lease-expired',
  'plan-expired',
  'clock-untrusted',
  'audio-error',
] as const satisfies readonly ApplianceState[];
type Missing = Exclude<ApplianceState, (typeof APPLIANCE_STATES)[number]>;
const allStates: Missing extends never ? true : never = true;
void allStates;
const STATES: ReadonlySet<string> = new Set(APPLIANCE_STATES);

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;

/**
 * Checks a check-in body field by field (the contract's CheckinRequest): every field present, of its type and range,
 * no unknown ones. Throws the hub's usual 400 VALIDATION_FAILED naming each bad field (`cache.bytes`,
 * `errors.3.at`...). Written by hand rather than with class-validator because it runs on every check-in of every
 * appliance: it costs a few microseconds instead of a few hundred.
 */
export function parseCheckin(body: unknown): CheckinRequest {
  const problems: FieldProblem[] = [];
  const bad = (field: string, problem: string) => problems.push({ field, problems: [problem] });
  const root = object(body, '', bad);
  if (root === null) throw AppError.validation(problems);

  only(
    root,
    '',
    [
      'softwareVersion',
      'clock',
      'uptimeSeconds',
      'state',
      'planId',
      'licenceEtag',
      'nowPlaying',
      'cache',
      'disk',
      'playLog',
      'errors',
    ],
    bad,
  );
  text(root, 'softwareVersion', '', 1, 100, bad);
  instant(root, 'clock', '', bad);
  count(root, 'uptimeSeconds', '', bad);
  if (typeof root.state !== 'string' || !STATES.has(root.state)) {
    bad('state', `state must be one of ${APPLIANCE_STATES.join(', ')}`);
  }
  if (root.planId !== null && (typeof root.planId !== 'string' || !UUID.test(root.planId))) {
    bad('planId', 'planId must be a plan id (uuid) or null');
  }
  if (root.licenceEtag !== null) text(root, 'licenceEtag', '', 1, 100, bad, ' or null');
  if (root.nowPlaying !== null) {
    const playing = object(root.nowPlaying, 'nowPlaying', bad, ' or null');
    if (playing !== null) {
      only(playing, 'nowPlaying.', ['trackId', 'programmeId', 'startedAt', 'quality'], bad);
      text(playing, 'trackId', 'nowPlaying.', 1, 64, bad);
      if (playing.programmeId !== null) text(playing, 'programmeId', 'nowPlaying.', 1, 64, bad, ' or null');
      instant(playing, 'startedAt', 'nowPlaying.', bad);
      if (playing.quality !== 'full' && playing.quality !== 'preview') {
        bad('nowPlaying.quality', 'quality must be full or preview');
      }
    }
  }
  counts(root.cache, 'cache', ['tracks', 'bytes', 'budgetBytes', 'missing'], bad);
  counts(root.disk, 'disk', ['freeBytes'], bad);
  counts(root.playLog, 'playLog', ['pending', 'lastSequence'], bad);
  if (!Array.isArray(root.errors)) {
    bad('errors', 'errors must be an array (most recent first, at most 20)');
  } else {
    if (root.errors.length > 20) bad('errors', 'errors must hold at most 20 entries (the most recent)');
    root.errors.slice(0, 20).forEach((entry: unknown, i) => {
      const error = object(entry, `errors.${i}`, bad);
      if (error === null) return;
      only(error, `errors.${i}.`, ['at', 'message'], bad);
      instant(error, 'at', `errors.${i}.`, bad);
      text(error, 'message', `errors.${i}.`, 0, 1000, bad);
    });
  }
  if (problems.length > 0) throw AppError.validation(problems);
  return root as unknown as CheckinRequest;
}

type Bad = (field: string, problem: string) => void;

function object(value: unknown, field: string, bad: Bad, orNull = ''): Json | null {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  bad(field || 'body', `${field || 'the body'} must be a JSON object${orNull}`);
  return null;
}

function only(value: Json, prefix: string, allowed: string[], bad: Bad): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) bad(`${prefix}${key}`, `property ${key} should not exist`);
  }
}

function text(value: Json, key: string, prefix: string, min: number, max: number, bad: Bad, orNull = ''): void {
  const v = value[key];
  if (typeof v !== 'string' || v.length < min || v.length > max) {
    bad(`${prefix}${key}`, `${key} must be a string of ${min} to ${max} characters${orNull}`);
  }
}

function instant(value: Json, key: string, prefix: string, bad: Bad): void {
  const v = value[key];
  // The round trip refuses dates that do not exist (2026-02-30 would otherwise roll over into March).
  if (
    typeof v !== 'string' ||
    !ISO_UTC.test(v) ||
    Number.isNaN(Date.parse(v)) ||
    new Date(v).toISOString().slice(0, 19) !== v.slice(0, 19)
  ) {
    bad(`${prefix}${key}`, `${key} must be an ISO 8601 UTC instant such as 2026-11-24T10:00:00.000Z`);
  }
}

function count(value: Json, key: string, prefix: string, bad: Bad): void {
  const v = value[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    bad(`${prefix}${key}`, `${key} must be a whole number >= 0`);
}

function counts(value: unknown, field: string, keys: string[], bad: Bad): void {
  const o = object(value, field, bad);
  if (o === null) return;
  only(o, `${field}.`, keys, bad);
  for (const key of keys) count(o, key, `${field}.`, bad);
}
