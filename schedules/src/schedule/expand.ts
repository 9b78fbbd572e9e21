import { type Binding, bindingOf } from './binding';
import { defaultDeps } from './default-deps';
import { formatLocal } from './iso';
import type { Instance } from './instances';
import type { Schedule, StartMode } from './model';
import { type OverrideRange, buildTimeline, checkWindow, pick, sweep } from './timeline';

/** One interval of a plan: what plays from `startMs` (inclusive) to `endMs` (exclusive), UTC epoch milliseconds. */
export interface PlanInterval {
  startMs: number;
  endMs: number;
  blockId: string;
  programme: string;
  volume: number;
  priority: number;
  start: StartMode;
  /** The rule that produced the occurrence, as written. */
  rule: string;
  ruleKind: 'rrule' | 'cron';
  /** The occurrence's wall-clock start as its rule named it (`2026-03-29T02:30`). */
  occurrence: string;
  /** The override whose blocks or programme/volume apply here. */
  overrideId?: string;
  /** Set when an exception moved this occurrence here from another wall-clock start. */
  movedFrom?: string;
}

/** The payload an instance plays under an override (a `modify` override changes programme and volume). */
export function payloadOf(
  inst: Instance,
  top: OverrideRange | undefined,
  startMs: number,
  endMs: number,
): PlanInterval {
  const interval: PlanInterval = {
    startMs,
    endMs,
    blockId: inst.block.id,
    programme: inst.block.programme,
    volume: inst.block.volume,
    priority: inst.block.priority,
    start: inst.block.start,
    rule: inst.rule.text,
    ruleKind: inst.rule.kind,
    occurrence: (inst.occurrenceText ??= formatLocal(inst.occurrence)),
  };
  if (inst.layer >= 0 && top) interval.overrideId = top.override.id;
  const o = top?.override;
  if (o && o.action === 'modify' && (!o.appliesTo || o.appliesTo.includes(inst.block.id))) {
    interval.overrideId = o.id;
    if (o.programme !== undefined) interval.programme = o.programme;
    if (o.volume !== undefined) interval.volume = o.volume;
  }
  if (inst.movedFrom) interval.movedFrom = formatLocal(inst.movedFrom);
  return interval;
}

/** `expand` on a binding: the shared core of plans, next changes and compiled plans. */
export function expandBound(schedule: Schedule, binding: Binding, fromMs: number, toMs: number): PlanInterval[] {
  checkWindow(fromMs, toMs);
  const out: PlanInterval[] = [];
  let lastInst: Instance | undefined;
  sweep(buildTimeline(schedule, binding, fromMs, toMs), (start, end, candidates, top) => {
    const winner = pick(candidates);
    if (!winner) return;
    const prev = out[out.length - 1];
    const next = payloadOf(winner, top, start, end);
    if (
      prev &&
      winner === lastInst &&
      prev.endMs === start &&
      prev.programme === next.programme &&
      prev.volume === next.volume &&
      prev.overrideId === next.overrideId
    ) {
      prev.endMs = end;
      return;
    }
    out.push(next);
    lastInst = winner;
  });
  return out;
}

/**
 * What plays in [fromMs, toMs): ordered, non-overlapping UTC intervals, each with its winning block, programme,
 * volume, start mode and the rule that produced it. Between intervals there is silence. Higher priority wins, the
 * override in force beats the base layer, cancelled occurrences vanish and moved ones appear at their new time.
 * Throws `ScheduleError` (INVALID_WINDOW, TOO_MANY_OCCURRENCES) instead of working without bound.
 */
export function expand(schedule: Schedule, fromMs: number, toMs: number): PlanInterval[] {
  return expandBound(schedule, bindingOf(schedule, defaultDeps), fromMs, toMs);
}
