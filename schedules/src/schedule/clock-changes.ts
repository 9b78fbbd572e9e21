import { bindingOf } from './binding';
import { defaultDeps } from './default-deps';
import { formatDate, formatLength, formatLocal, formatTime, localFromUtcFields, localAsUtcMs } from './iso';
import { type Instance, nominalLengthMs } from './instances';
import type { Schedule } from './model';
import { buildTimeline, checkWindow } from './timeline';

const DAY = 86_400_000;

/** What a clock change does to one occurrence of a block. */
export type ClockEffectKind =
  'skipped' | 'start-clipped' | 'end-clipped' | 'first-of-repeated' | 'repeated' | 'longer' | 'shorter';

export interface ClockEffect {
  blockId: string;
  occurrence: string;
  kind: ClockEffectKind;
  /** The occurrence's real interval (UTC ms); equal for a skipped one. */
  startMs: number;
  endMs: number;
  message: string;
}

/** One offset change of the schedule's zone and its effect on each block. */
export interface ClockChange {
  atMs: number;
  offsetBeforeSec: number;
  offsetAfterSec: number;
  direction: 'forward' | 'back';
  /** `2026-03-29 02:00 -> 03:00` in the zone's wall clock. */
  description: string;
  effects: ClockEffect[];
}

function hhmm(ms: number): string {
  const d = localFromUtcFields(ms);
  return formatTime(d);
}

function effectsOf(inst: Instance, wall: (ms: number) => number, atMs: number): ClockEffect[] {
  const id = inst.block.id;
  const occurrence = formatLocal(inst.occurrence);
  const day = formatDate(inst.occurrence);
  const at = formatTime(inst.occurrence);
  const base = { blockId: id, occurrence, startMs: inst.startMs, endMs: inst.endMs };
  const span = `${hhmm(wall(inst.startMs))}-${hhmm(wall(inst.endMs))}`;
  const out: ClockEffect[] = [];
  if (inst.status === 'gap-skipped') {
    out.push({
      ...base,
      endMs: inst.startMs,
      kind: 'skipped',
      message: `block ${id} ${at} on ${day} does not play: ${at} does not exist and its gap policy is skip`,
    });
    return out;
  }
  if (inst.status !== 'active' && !inst.movedFrom) return out;
  if (inst.startNote === 'gap-clipped') {
    out.push({ ...base, kind: 'start-clipped', message: `block ${id} ${at} on ${day} clipped to ${span}` });
  } else if (inst.startNote === 'ambiguous-first') {
    out.push({
      ...base,
      kind: 'first-of-repeated',
      message: `block ${id} ${at} on ${day} starts at the first ${at}, before the clocks go back`,
    });
  } else if (inst.startNote === 'ambiguous-second') {
    out.push({ ...base, kind: 'repeated', message: `block ${id} ${at} on ${day} plays again in the repeated hour` });
  }
  if (inst.endNote === 'gap-clipped') {
    out.push({
      ...base,
      kind: 'end-clipped',
      message: `block ${id} ${at} on ${day} ends at ${span.slice(6)}: its end does not exist that night`,
    });
  }
  const nominal = nominalLengthMs(inst.block, inst.occurrence);
  const real = inst.endMs - inst.startMs;
  if (inst.startMs < atMs && atMs < inst.endMs && real !== nominal && inst.startNote === 'exact') {
    out.push({
      ...base,
      kind: real > nominal ? 'longer' : 'shorter',
      message: `block ${id} ${span} starting ${day} lasts ${formatLength(real)} (${formatLength(nominal)} on the wall clock)`,
    });
  }
  return out;
}

/**
 * The offset changes of the schedule's zone in [fromMs, toMs) and what each does to each block: occurrences skipped
 * or clipped by a spring-forward gap, starts in a repeated hour, and overnight blocks that get longer or shorter.
 * For a dashboard preview of "what happens at the clock change".
 */
export function clockChanges(schedule: Schedule, fromMs: number, toMs: number): ClockChange[] {
  checkWindow(fromMs, toMs);
  const binding = bindingOf(schedule, defaultDeps);
  const wall = (ms: number): number => localAsUtcMs(binding.zone.utcToLocal(ms));
  return binding.zone.transitions(fromMs, toMs).map((t) => {
    const tl = buildTimeline(schedule, binding, t.atMs - DAY, t.atMs + DAY);
    const forward = t.offsetAfterSec > t.offsetBeforeSec;
    const beforeWall = t.atMs + t.offsetBeforeSec * 1000;
    const afterWall = t.atMs + t.offsetAfterSec * 1000;
    const effects = tl.all
      .filter((i) => i.startMs <= t.atMs + DAY && i.endMs >= t.atMs - DAY)
      .flatMap((i) => effectsOf(i, wall, t.atMs));
    effects.sort((a, b) => a.startMs - b.startMs || a.blockId.localeCompare(b.blockId));
    return {
      atMs: t.atMs,
      offsetBeforeSec: t.offsetBeforeSec,
      offsetAfterSec: t.offsetAfterSec,
      direction: forward ? 'forward' : 'back',
      description: `${formatDate(localFromUtcFields(beforeWall))} ${hhmm(beforeWall)} -> ${hhmm(afterWall)}`,
      effects,
    };
  });
}
