import type { PlanIntervalDoc, PlanPayload } from '@roomtone/provisioning';

/** A plan interval with its instants parsed once. */
export interface Interval {
  startMs: number;
  endMs: number;
  doc: PlanIntervalDoc;
}

/**
 * A plan's intervals sorted by start, for "what is in force at t" by binary search (a 14-day plan of a busy zone has
 * thousands of intervals and the follower asks several times a second).
 */
export class PlanIndex {
  readonly intervals: Interval[];
  readonly fromMs: number;
  readonly untilMs: number;
  readonly compiledAtMs: number;

  constructor(readonly plan: PlanPayload) {
    this.intervals = plan.intervals
      .map((doc) => ({ startMs: Date.parse(doc.start), endMs: Date.parse(doc.end), doc }))
      .filter((i) => Number.isFinite(i.startMs) && Number.isFinite(i.endMs) && i.endMs > i.startMs)
      .sort((a, b) => a.startMs - b.startMs);
    this.fromMs = Date.parse(plan.from);
    this.untilMs = Date.parse(plan.until);
    this.compiledAtMs = Date.parse(plan.compiledAt);
  }

  /** The interval in force at `ms` ([start, end)), if any; outside the plan's horizon nothing is. */
  at(ms: number): Interval | undefined {
    if (!(ms >= this.fromMs && ms < this.untilMs)) return undefined;
    let lo = 0;
    let hi = this.intervals.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.intervals[mid].startMs <= ms) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return undefined;
    const interval = this.intervals[found];
    return ms < interval.endMs ? interval : undefined;
  }

  /** The first interval starting after `ms`, if any (for "silent until ..."). */
  nextAfter(ms: number): Interval | undefined {
    let lo = 0;
    let hi = this.intervals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.intervals[mid].startMs <= ms) lo = mid + 1;
      else hi = mid;
    }
    const next = this.intervals[lo];
    return next && next.startMs < this.untilMs ? next : undefined;
  }
}

/** Two intervals are the same occurrence of the same block. */
export function sameInterval(a: Interval | undefined, b: Interval | undefined): boolean {
  return a !== undefined && b !== undefined && a.startMs === b.startMs && a.doc.blockId === b.doc.blockId;
}
