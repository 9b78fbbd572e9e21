import type { LocalDateTime, Occurrence } from '../rules/types';
import type { BoundRule, Binding, ZoneOps } from './binding';
import { ScheduleError } from './errors';
import { formatInstant, formatLocal, localAsUtcMs, localFromUtcFields } from './iso';
import type { Block, OccurrenceException, Schedule, TimeOfDay } from './model';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Real length can exceed wall-clock length by one offset change; no zone has ever shifted more than 2 hours at once. */
const DST_SLACK = 2 * HOUR;

/** How an instance's edge was placed on the timeline. */
export type EdgeNote = 'exact' | 'ambiguous-first' | 'ambiguous-second' | 'gap-clipped';

/** Why an occurrence of a rule plays, or does not. */
export type InstanceStatus = 'active' | 'gap-skipped' | 'cancelled' | 'moved-away';

/** One occurrence of a block as an interval of real time. */
export interface Instance {
  block: Block;
  /** Position of the block in its layer; earlier blocks win ties. */
  order: number;
  /** -1 for the base layer, else the index of the `replace` override whose blocks these are. */
  layer: number;
  rule: BoundRule;
  /** The wall-clock start the rule named (the occurrence's identity for exceptions). */
  occurrence: LocalDateTime;
  startMs: number;
  endMs: number;
  startNote: EdgeNote;
  endNote: EdgeNote;
  status: InstanceStatus;
  /** For an instance an exception moved here: the occurrence it was moved from. */
  movedFrom?: LocalDateTime;
  /** `occurrence` formatted, once, for the plan intervals it yields. */
  occurrenceText?: string;
}

/** The largest real length a block's instance can have, so expansions look back far enough. */
export function maxLengthMs(block: Block): number {
  if ('end' in block.length) return DAY + DST_SLACK;
  return block.length.duration.days * DAY + block.length.duration.seconds * 1000 + DST_SLACK;
}

/** Reads a wall-clock time as the instant a block edge sits at: first occurrence if repeated, the transition if skipped. */
function edgeAt(zone: ZoneOps, local: LocalDateTime): { ms: number; note: EdgeNote } {
  const r = zone.resolveLocal(local);
  switch (r.kind) {
    case 'unique':
      return { ms: r.utcMs, note: 'exact' };
    case 'ambiguous':
      return { ms: r.earlierMs, note: 'ambiguous-first' };
    case 'gap':
      return { ms: r.transitionMs, note: 'gap-clipped' };
  }
}

/**
 * The instant exact durations are counted from. A nonexistent start is read as if the clock had already moved
 * (02:30 on a 02:00->03:00 night = 03:30 - 1 h), so `02:30 PT1H30M` ends at 04:00 like `02:30-04:00`.
 */
function nominalInstant(zone: ZoneOps, local: LocalDateTime): number {
  const r = zone.resolveLocal(local);
  switch (r.kind) {
    case 'unique':
      return r.utcMs;
    case 'ambiguous':
      return r.earlierMs;
    case 'gap': {
      const offsetAfter = localAsUtcMs(zone.utcToLocal(r.transitionMs)) - r.transitionMs;
      return localAsUtcMs(local) - offsetAfter;
    }
  }
}

/** The end of an instance whose wall-clock start is `local`, reading wall-clock times in the zone. */
export function endOf(block: Block, zone: ZoneOps, local: LocalDateTime): { ms: number; note: EdgeNote } {
  const length = block.length;
  if ('end' in length) return edgeAt(zone, localFromUtcFields(wallEnd(localAsUtcMs(local), length.end)));
  const { days, seconds } = length.duration;
  const base = days ? localFromUtcFields(localAsUtcMs(local) + days * DAY) : local;
  return { ms: nominalInstant(zone, base) + seconds * 1000, note: 'exact' };
}

/** The wall-clock end (as fields-as-UTC ms) of a block starting at wall-clock `startWall` and ending at `end`. */
function wallEnd(startWall: number, end: TimeOfDay): number {
  const startSec = Math.floor((startWall % DAY) / 1000);
  const endSec = end.hour * 3600 + end.minute * 60 + end.second;
  return startWall - startSec * 1000 + endSec * 1000 + (endSec <= startSec ? DAY : 0);
}

/** The wall-clock length of a block that starts at wall-clock `local`: what it lasts on a day without clock changes. */
export function nominalLengthMs(block: Block, local: LocalDateTime): number {
  const length = block.length;
  if ('end' in length) {
    const startWall = localAsUtcMs(local);
    return wallEnd(startWall, length.end) - startWall;
  }
  return length.duration.days * DAY + length.duration.seconds * 1000;
}

/**
 * The end of an occurrence starting at `startMs` (wall clock `startWall`, as fields-as-UTC ms) when the zone's offset
 * does not change within a day of it: plain arithmetic, no zone lookups.
 */
export function plainEndMs(block: Block, startMs: number, startWall: number): number {
  const length = block.length;
  return 'end' in length
    ? wallEnd(startWall, length.end) - (startWall - startMs)
    : startMs + length.duration.days * DAY + length.duration.seconds * 1000;
}

/**
 * Builds the instance of one occurrence; `status` says whether it plays. `nearTransition` false promises that the
 * zone's offset does not change within a day of the occurrence, which lets the common case skip zone lookups.
 */
export function instanceOf(
  block: Block,
  order: number,
  layer: number,
  rule: BoundRule,
  zone: ZoneOps,
  occ: Occurrence,
  nearTransition = true,
): Instance {
  if (!nearTransition) {
    return {
      block,
      order,
      layer,
      rule,
      occurrence: occ.local,
      startMs: occ.startMs,
      endMs: plainEndMs(block, occ.startMs, localAsUtcMs(occ.local)),
      startNote: 'exact',
      endNote: 'exact',
      status: 'active',
    };
  }
  const end = endOf(block, zone, occ.local);
  let startNote: EdgeNote = 'exact';
  let startMs = occ.startMs;
  if (occ.inGap) {
    startNote = 'gap-clipped';
    // The rule layer reads an RRULE's DTSTART in a gap as 3.3.5 says (shifted); a block's wall-clock interval
    // starts where its existing part starts: the transition.
    const r = zone.resolveLocal(occ.local);
    if (r.kind === 'gap') startMs = r.transitionMs;
  } else {
    const r = zone.resolveLocal(occ.local);
    // A wildcard-hour cron fires at both readings of a repeated wall-clock time.
    if (r.kind === 'ambiguous') startNote = occ.startMs === r.earlierMs ? 'ambiguous-first' : 'ambiguous-second';
  }
  return {
    block,
    order,
    layer,
    rule,
    occurrence: occ.local,
    startMs,
    endMs: Math.max(end.ms, startMs),
    startNote,
    endNote: end.note,
    status: occ.inGap && block.gap === 'skip' ? 'gap-skipped' : 'active',
  };
}

/** The schedule's exceptions by block id and occurrence wall-clock time. */
export function exceptionIndex(schedule: Schedule): Map<string, OccurrenceException> {
  const index = new Map<string, OccurrenceException>();
  for (const e of schedule.exceptions) index.set(`${e.block}@${formatLocal(e.occurrence)}`, e);
  return index;
}

/** Expands a rule, refusing windows that would produce absurd counts instead of truncating them silently. */
export function expandBounded(
  binding: Binding,
  block: Block,
  rule: BoundRule,
  fromMs: number,
  toMs: number,
): Occurrence[] {
  const max = binding.deps.maxOccurrences;
  const occurrences = rule.expand(fromMs, toMs, max);
  if (occurrences.length >= max) {
    throw new ScheduleError(
      'TOO_MANY_OCCURRENCES',
      '',
      `block "${block.id}" has ${max} or more occurrences between ${formatInstant(fromMs)} and ${formatInstant(toMs)}; ` +
        'use a shorter window',
    );
  }
  return occurrences;
}

/** The occurrence an exception names, if the block's rule really has it. */
function findOccurrence(binding: Binding, block: Block, rule: BoundRule, local: LocalDateTime): Occurrence | undefined {
  const around = nominalInstant(binding.zone, local);
  const key = formatLocal(local);
  return expandBounded(binding, block, rule, around - 3 * HOUR, around + 3 * HOUR).find(
    (o) => formatLocal(o.local) === key,
  );
}

/** Every instance of one layer's blocks that may touch [fromMs, toMs), including those that do not play (for traces). */
export function layerInstances(
  binding: Binding,
  blocks: readonly Block[],
  layer: number,
  exceptions: Map<string, OccurrenceException>,
  fromMs: number,
  toMs: number,
): Instance[] {
  const out: Instance[] = [];
  const transitions = binding.zone.transitions(fromMs - 9 * DAY, toMs + DAY).map((t) => t.atMs);
  blocks.forEach((block, order) => {
    const rule = ruleOf(binding, block);
    const reach = maxLengthMs(block) + DAY;
    for (const occ of expandBounded(binding, block, rule, fromMs - maxLengthMs(block), toMs)) {
      let near = occ.inGap;
      for (let k = 0; !near && k < transitions.length; k++) {
        near = transitions[k] > occ.startMs - DAY && transitions[k] < occ.startMs + reach;
      }
      const inst = instanceOf(block, order, layer, rule, binding.zone, occ, near);
      if (inst.endMs <= fromMs && inst.status === 'active') continue;
      const exception = exceptions.size ? exceptions.get(`${block.id}@${formatLocal(occ.local)}`) : undefined;
      if (exception) inst.status = exception.action === 'cancel' ? 'cancelled' : 'moved-away';
      out.push(inst);
    }
  });
  if (exceptions.size) {
    for (const e of exceptions.values()) {
      if (e.action !== 'move') continue;
      const order = blocks.findIndex((b) => b.id === e.block);
      if (order < 0) continue;
      const block = blocks[order];
      const rule = ruleOf(binding, block);
      const resolution = binding.zone.resolveLocal(e.to);
      const start = edgeAt(binding.zone, e.to);
      if (start.ms >= toMs || start.ms + maxLengthMs(block) <= fromMs) continue;
      if (!findOccurrence(binding, block, rule, e.occurrence)) continue;
      const occ: Occurrence = { startMs: start.ms, local: e.to, inGap: resolution.kind === 'gap' };
      const moved = { ...instanceOf(block, order, layer, rule, binding.zone, occ), movedFrom: e.occurrence };
      if ('end' in block.length) {
        // A moved occurrence keeps its wall-clock length, not its end time (moving 12:00-13:00 to 14:00 gives 14-15).
        const endWall = localAsUtcMs(e.to) + nominalLengthMs(block, e.occurrence);
        const end = edgeAt(binding.zone, localFromUtcFields(endWall));
        moved.endMs = Math.max(end.ms, moved.startMs);
        moved.endNote = end.note;
      }
      out.push(moved);
    }
  }
  return out;
}

export function ruleOf(binding: Binding, block: Block): BoundRule {
  const rule = binding.rules.get(block);
  if (rule) return rule;
  const bound = binding.deps.bindRule(block.rule, binding.zoneName);
  binding.rules.set(block, bound);
  return bound;
}
