import { ScheduleError } from './errors';
import { type BoundRule, type ScheduleDeps, rememberBinding } from './binding';
import { defaultDeps } from './default-deps';
import { formatLocal } from './iso';
import {
  SCHEDULE_FORMAT_VERSION,
  type Block,
  type OccurrenceException,
  type Override,
  type RuleSpec,
  type Schedule,
} from './model';
import {
  asArray,
  asObject,
  blockLength,
  fail,
  gapPolicy,
  id,
  int,
  join,
  localDate,
  localDateTime,
  onlyKeys,
  optionalStr,
  show,
  startMode,
  str,
} from './parse-fields';

const BLOCK_KEYS = ['id', 'rule', 'duration', 'end', 'programme', 'volume', 'priority', 'start', 'gap'] as const;
/** Bounds that keep a document reviewable and every operation's work finite. */
export const MAX_BLOCKS = 500;
export const MAX_OVERRIDES = 2000;
export const MAX_EXCEPTIONS = 10000;

/**
 * Validates a schedule document (parsed JSON, format version 1) and parses its rules for its zone. Throws a
 * `ScheduleError` naming the failing part by JSON path, e.g.
 * `blocks[2].rule.rrule: BYMONTHDAY value 32 is out of range (1-31 or -31..-1)`.
 */
export function parseSchedule(json: unknown, deps: ScheduleDeps = defaultDeps): Schedule {
  const root = asObject(json, '$');
  onlyKeys(root, '', ['version', 'zone', 'blocks', 'overrides', 'exceptions']);
  if (root.version !== SCHEDULE_FORMAT_VERSION) {
    throw new ScheduleError(
      'INVALID_FORMAT',
      'version',
      `expected ${SCHEDULE_FORMAT_VERSION}, got ${root.version === undefined ? 'nothing' : show(root.version)}`,
    );
  }
  const zone = str(root, 'zone', '');
  if (!deps.isValidZone(zone)) {
    throw new ScheduleError('INVALID_ZONE', 'zone', `${show(zone)} is not an IANA time zone (e.g. "Europe/Berlin")`);
  }
  const rules = new Map<Block, BoundRule>();
  const blockIds = new Set<string>();
  const readBlocks = (value: unknown, path: string): Block[] => {
    const items = asArray(value, path);
    if (items.length > MAX_BLOCKS) fail(path, `has ${items.length} blocks; at most ${MAX_BLOCKS} are allowed`);
    return items.map((item, i) => {
      const block = parseBlock(item, join(path, i), zone, deps, rules);
      if (blockIds.has(block.id)) {
        throw new ScheduleError('DUPLICATE_ID', join(join(path, i), 'id'), `block id "${block.id}" is used twice`);
      }
      blockIds.add(block.id);
      return block;
    });
  };
  const blocks = readBlocks(root.blocks ?? [], 'blocks');
  const overridesJson = asArray(root.overrides ?? [], 'overrides');
  if (overridesJson.length > MAX_OVERRIDES) fail('overrides', `at most ${MAX_OVERRIDES} overrides are allowed`);
  const overrideIds = new Set<string>();
  const overrides = overridesJson.map((item, i) => {
    const override = parseOverride(item, join('overrides', i), readBlocks);
    if (overrideIds.has(override.id)) {
      throw new ScheduleError('DUPLICATE_ID', `overrides[${i}].id`, `override id "${override.id}" is used twice`);
    }
    overrideIds.add(override.id);
    return override;
  });
  for (const [i, o] of overrides.entries()) {
    if (o.action !== 'modify') continue;
    for (const [j, ref] of (o.appliesTo ?? []).entries()) {
      if (!blockIds.has(ref)) {
        throw new ScheduleError('UNKNOWN_BLOCK', `overrides[${i}].appliesTo[${j}]`, `no block has id "${ref}"`);
      }
    }
  }
  const exceptionsJson = asArray(root.exceptions ?? [], 'exceptions');
  if (exceptionsJson.length > MAX_EXCEPTIONS) fail('exceptions', `at most ${MAX_EXCEPTIONS} exceptions are allowed`);
  const seen = new Set<string>();
  const exceptions = exceptionsJson.map((item, i) => {
    const path = join('exceptions', i);
    const exception = parseException(item, path);
    if (!blockIds.has(exception.block)) {
      throw new ScheduleError('UNKNOWN_BLOCK', join(path, 'block'), `no block has id "${exception.block}"`);
    }
    const key = `${exception.block}@${formatLocal(exception.occurrence)}`;
    if (seen.has(key)) fail(join(path, 'occurrence'), `a second exception for occurrence ${key}`);
    seen.add(key);
    return exception;
  });
  const schedule: Schedule = { version: SCHEDULE_FORMAT_VERSION, zone, blocks, overrides, exceptions };
  rememberBinding(schedule, { deps, zoneName: zone, zone: deps.zoneOps(zone), rules });
  return schedule;
}

function parseBlock(
  value: unknown,
  path: string,
  zone: string,
  deps: ScheduleDeps,
  rules: Map<Block, BoundRule>,
): Block {
  const obj = asObject(value, path);
  onlyKeys(obj, path, BLOCK_KEYS);
  const blockId = id(obj, 'id', path);
  const rulePath = join(path, 'rule');
  const ruleObj = asObject(obj.rule, rulePath);
  onlyKeys(ruleObj, rulePath, ['rrule', 'cron']);
  if ((ruleObj.rrule === undefined) === (ruleObj.cron === undefined)) {
    fail(rulePath, 'needs exactly one of "rrule" (RFC 5545 content lines) or "cron" (a cron expression)');
  }
  const rule: RuleSpec =
    ruleObj.rrule !== undefined ? { rrule: str(ruleObj, 'rrule', rulePath) } : { cron: str(ruleObj, 'cron', rulePath) };
  const block: Block = {
    id: blockId,
    rule,
    length: blockLength(obj, path),
    programme: str(obj, 'programme', path),
    volume: int(obj, 'volume', path, 0, 100),
    priority: int(obj, 'priority', path, -1000, 1000, 0),
    start: startMode(obj, path),
    gap: gapPolicy(obj, path),
  };
  const textPath = join(rulePath, 'rrule' in rule ? 'rrule' : 'cron');
  if ('rrule' in rule) checkRRuleZone(rule.rrule, zone, textPath);
  try {
    rules.set(block, deps.bindRule(rule, zone));
  } catch (error) {
    if (error instanceof ScheduleError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new ScheduleError('INVALID_RULE', textPath, detail);
  }
  return block;
}

/** A venue's rules are read in the venue's zone; a DTSTART in another zone or in UTC would silently mean another time. */
function checkRRuleZone(text: string, zone: string, path: string): void {
  const dtstart = /^DTSTART([^:\n]*):(\S+)/im.exec(text.replace(/\\n/g, '\n'));
  if (!dtstart) return;
  const tzid = /;TZID=([^;:]+)/i.exec(dtstart[1]);
  if (tzid && tzid[1] !== zone) {
    fail(path, `DTSTART has TZID=${tzid[1]} but the schedule's zone is ${zone}: drop the TZID or use ${zone}`);
  }
  if (/Z$/i.test(dtstart[2])) {
    fail(path, `DTSTART ${dtstart[2]} is UTC; write it as wall-clock time in ${zone} (drop the trailing Z)`);
  }
}

function parseOverride(value: unknown, path: string, readBlocks: (v: unknown, p: string) => Block[]): Override {
  const obj = asObject(value, path);
  const base = { id: id(obj, 'id', path), from: localDate(obj, 'from', path), to: localDate(obj, 'to', path) };
  if (
    Date.UTC(base.to.year, base.to.month - 1, base.to.day) <
    Date.UTC(base.from.year, base.from.month - 1, base.from.day)
  ) {
    fail(join(path, 'to'), 'is before "from"; both dates are inclusive');
  }
  const action = str(obj, 'action', path);
  switch (action) {
    case 'closed':
      onlyKeys(obj, path, ['id', 'from', 'to', 'action']);
      return { ...base, action };
    case 'modify': {
      onlyKeys(obj, path, ['id', 'from', 'to', 'action', 'programme', 'volume', 'appliesTo']);
      const programme = optionalStr(obj, 'programme', path);
      const volume = obj.volume === undefined ? undefined : int(obj, 'volume', path, 0, 100);
      if (programme === undefined && volume === undefined)
        fail(path, 'a "modify" override needs "programme" or "volume"');
      const appliesTo =
        obj.appliesTo === undefined
          ? undefined
          : asArray(obj.appliesTo, join(path, 'appliesTo')).map((v, i) =>
              typeof v === 'string' ? v : fail(join(join(path, 'appliesTo'), i), `expected a block id, got ${show(v)}`),
            );
      return { ...base, action, programme, volume, appliesTo };
    }
    case 'replace':
      onlyKeys(obj, path, ['id', 'from', 'to', 'action', 'blocks']);
      return { ...base, action, blocks: readBlocks(obj.blocks, join(path, 'blocks')) };
    default:
      return fail(join(path, 'action'), `expected "closed", "modify" or "replace", got ${show(action)}`);
  }
}

function parseException(value: unknown, path: string): OccurrenceException {
  const obj = asObject(value, path);
  const block = str(obj, 'block', path);
  const occurrence = localDateTime(obj, 'occurrence', path);
  const action = str(obj, 'action', path);
  if (action === 'cancel') {
    onlyKeys(obj, path, ['block', 'occurrence', 'action']);
    return { block, occurrence, action };
  }
  if (action === 'move') {
    onlyKeys(obj, path, ['block', 'occurrence', 'action', 'to']);
    return { block, occurrence, action, to: localDateTime(obj, 'to', path) };
  }
  return fail(join(path, 'action'), `expected "cancel" or "move", got ${show(action)}`);
}

/** Parses a schedule from JSON text; a syntax error is a `ScheduleError` with code INVALID_FORMAT. */
export function parseScheduleJson(text: string, deps: ScheduleDeps = defaultDeps): Schedule {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScheduleError('INVALID_FORMAT', '', `not valid JSON (${(error as Error).message})`);
  }
  return parseSchedule(json, deps);
}
