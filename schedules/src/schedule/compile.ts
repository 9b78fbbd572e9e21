import { bindingOf } from './binding';
import { defaultDeps } from './default-deps';
import { ScheduleError } from './errors';
import { type PlanInterval, expandBound } from './expand';
import { formatInstant } from './iso';
import type { Schedule } from './model';

/**
 * A schedule compiled for a window: sorted boundaries and, for each span between two boundaries, what plays (null
 * for silence). `payloads[i]` holds from `boundaries[i]` to `boundaries[i + 1]`; the last boundary is the window end.
 * Resolving an instant is a binary search: no rule, zone or allocation is involved.
 */
export class CompiledSchedule {
  constructor(
    readonly fromMs: number,
    readonly toMs: number,
    readonly boundaries: Float64Array,
    readonly payloads: readonly (PlanInterval | null)[],
  ) {}

  /** What plays at `ms` (null for silence). Throws OUTSIDE_COMPILED_WINDOW outside [fromMs, toMs). */
  at(ms: number): PlanInterval | null {
    const b = this.boundaries;
    if (!(ms >= this.fromMs && ms < this.toMs)) {
      throw new ScheduleError(
        'OUTSIDE_COMPILED_WINDOW',
        '',
        `${Number.isFinite(ms) ? formatInstant(ms) : String(ms)} is outside the compiled window ` +
          `${formatInstant(this.fromMs)}..${formatInstant(this.toMs)}; compile a window that contains it`,
      );
    }
    let lo = 0;
    let hi = b.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (b[mid] <= ms) lo = mid;
      else hi = mid - 1;
    }
    return this.payloads[lo];
  }

  /** The intervals that play, in order (the plan an appliance executes). */
  intervals(): PlanInterval[] {
    return this.payloads.filter((p): p is PlanInterval => p !== null);
  }
}

/** Compiles [fromMs, toMs) of a schedule for fast repeated resolution (see `CompiledSchedule`). */
export function compile(schedule: Schedule, fromMs: number, toMs: number): CompiledSchedule {
  const intervals = expandBound(schedule, bindingOf(schedule, defaultDeps), fromMs, toMs);
  const boundaries: number[] = [fromMs];
  const payloads: (PlanInterval | null)[] = [];
  for (const iv of intervals) {
    if (iv.startMs > boundaries[boundaries.length - 1]) {
      payloads.push(null);
      boundaries.push(iv.startMs);
    }
    payloads.push(iv);
    boundaries.push(iv.endMs);
  }
  if (boundaries[boundaries.length - 1] < toMs) {
    payloads.push(null);
    boundaries.push(toMs);
  }
  return new CompiledSchedule(fromMs, toMs, Float64Array.from(boundaries), payloads);
}
