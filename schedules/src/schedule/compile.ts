import { type Binding, bindingOf } from './binding';
import { compileColumns } from './compile-columns';
import { defaultDeps } from './default-deps';
import { ScheduleError } from './errors';
import { type PlanInterval, payloadOf } from './expand';
import type { Instance } from './instances';
import { formatInstant, formatLocal, localFromUtcFields, localAsUtcMs } from './iso';
import type { Block, Schedule, StartMode } from './model';
import { buildTimeline, checkWindow, overrideRanges, pick, sweep } from './timeline';

/** What plays in a span of a compiled schedule, without its times (shared by every span of the same block). */
export interface Slot {
  blockId: string;
  programme: string;
  volume: number;
  priority: number;
  start: StartMode;
  rule: string;
  ruleKind: 'rrule' | 'cron';
  overrideId?: string;
}

/**
 * A schedule compiled for a window: sorted boundaries and, for each span between two boundaries, what plays.
 * Span i runs from `boundaries[i]` to `boundaries[i + 1]` (the last boundary is the window end) and plays
 * `slots[slotOf[i]]`, or nothing when `slotOf[i]` is -1. Typed arrays and a small table of distinct slots keep
 * thousands of compiled zone-weeks cheap to hold; resolving an instant is one binary search with no allocation.
 */
export class CompiledSchedule {
  constructor(
    readonly fromMs: number,
    readonly toMs: number,
    readonly boundaries: Float64Array,
    readonly slotOf: Int32Array,
    readonly slots: readonly Slot[],
    /** Per span: the wall-clock start of the occurrence playing (as UTC fields), NaN for silence. */
    private readonly occurrenceWall: Float64Array,
    private readonly movedFrom: ReadonlyMap<number, string>,
  ) {}

  private span(ms: number): number {
    if (!(ms >= this.fromMs && ms < this.toMs)) {
      throw new ScheduleError(
        'OUTSIDE_COMPILED_WINDOW',
        '',
        `${Number.isFinite(ms) ? formatInstant(ms) : String(ms)} is outside the compiled window ` +
          `${formatInstant(this.fromMs)}..${formatInstant(this.toMs)}; compile a window that contains it`,
      );
    }
    const b = this.boundaries;
    let lo = 0;
    let hi = b.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (b[mid] <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** What plays at `ms` (null for silence). Throws OUTSIDE_COMPILED_WINDOW outside [fromMs, toMs). */
  at(ms: number): Slot | null {
    const slot = this.slotOf[this.span(ms)];
    return slot < 0 ? null : this.slots[slot];
  }

  /** The plan interval around `ms` (null for silence), with its times and occurrence. */
  intervalAt(ms: number): PlanInterval | null {
    return this.interval(this.span(ms));
  }

  private interval(i: number): PlanInterval | null {
    const slot = this.slotOf[i];
    if (slot < 0) return null;
    const interval: PlanInterval = {
      startMs: this.boundaries[i],
      endMs: this.boundaries[i + 1],
      ...this.slots[slot],
      occurrence: formatLocal(localFromUtcFields(this.occurrenceWall[i])),
    };
    const moved = this.movedFrom.get(i);
    if (moved) interval.movedFrom = moved;
    return interval;
  }

  /** The intervals that play, in order (the plan an appliance executes). */
  intervals(): PlanInterval[] {
    const out: PlanInterval[] = [];
    for (let i = 0; i < this.slotOf.length; i++) {
      const interval = this.interval(i);
      if (interval) out.push(interval);
    }
    return out;
  }
}

function compileBound(schedule: Schedule, binding: Binding, fromMs: number, toMs: number): CompiledSchedule {
  checkWindow(fromMs, toMs);
  // Without exceptions or overrides every instance is a plain base-layer occurrence: the columnar path applies.
  if (schedule.exceptions.length === 0 && overrideRanges(schedule, binding, fromMs, toMs).length === 0) {
    return compileColumns(schedule, binding, fromMs, toMs);
  }
  const boundaries: number[] = [];
  const slotOf: number[] = [];
  const walls: number[] = [];
  const movedFrom = new Map<number, string>();
  const slots: Slot[] = [];
  const slotIndex = new Map<string, number>();
  // Most spans have no override in force: key their slot by block, without building a string per span.
  const plainSlot = new Map<Block, number>();
  let lastInst: Instance | undefined;
  let lastSlot = -2;
  sweep(buildTimeline(schedule, binding, fromMs, toMs), (start, end, candidates, top) => {
    const winner = pick(candidates);
    let slot = -1;
    if (winner) {
      const plain = top === undefined && winner.layer < 0;
      const key = plain ? '' : `${winner.layer}:${winner.order}:${top?.index}`;
      let s = plain ? plainSlot.get(winner.block) : slotIndex.get(key);
      if (s === undefined) {
        const { startMs: _s, endMs: _e, occurrence: _o, movedFrom: _m, ...what } = payloadOf(winner, top, start, end);
        s = slots.push(what) - 1;
        if (plain) plainSlot.set(winner.block, s);
        else slotIndex.set(key, s);
      }
      slot = s;
    }
    if (slot === lastSlot && winner === lastInst) return;
    boundaries.push(start);
    slotOf.push(slot);
    walls.push(winner ? localAsUtcMs(winner.occurrence) : NaN);
    if (winner?.movedFrom) movedFrom.set(slotOf.length - 1, formatLocal(winner.movedFrom));
    lastSlot = slot;
    lastInst = winner;
  });
  boundaries.push(toMs);
  // The array-like constructors copy directly; TypedArray.from goes through the iterator protocol.
  return new CompiledSchedule(
    fromMs,
    toMs,
    new Float64Array(boundaries),
    new Int32Array(slotOf),
    slots,
    new Float64Array(walls),
    movedFrom,
  );
}

/** Compiles [fromMs, toMs) of a schedule for fast repeated resolution (see `CompiledSchedule`). */
export function compile(schedule: Schedule, fromMs: number, toMs: number): CompiledSchedule {
  return compileBound(schedule, bindingOf(schedule, defaultDeps), fromMs, toMs);
}
