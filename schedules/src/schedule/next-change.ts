import { bindingOf } from './binding';
import { defaultDeps } from './default-deps';
import { ScheduleError } from './errors';
import { type PlanInterval, expandBound } from './expand';
import type { Schedule } from './model';

const DAY = 86_400_000;
const STEP = 7 * DAY;
/** How far `nextChange` looks by default before answering "no change". */
export const NEXT_CHANGE_HORIZON_DAYS = 366;

/** A change of what plays: `from`/`to` are null for silence. */
export interface Change {
  atMs: number;
  from: PlanInterval | null;
  to: PlanInterval | null;
}

function same(a: PlanInterval | null, b: PlanInterval | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.blockId === b.blockId &&
    a.occurrence === b.occurrence &&
    a.programme === b.programme &&
    a.volume === b.volume &&
    a.overrideId === b.overrideId
  );
}

/**
 * The first instant after `afterMs` at which what plays changes (another block or occurrence, another programme or
 * volume, or silence), looking at most `horizonDays` ahead; null when nothing changes within that horizon.
 */
export function nextChange(schedule: Schedule, afterMs: number, horizonDays = NEXT_CHANGE_HORIZON_DAYS): Change | null {
  if (!Number.isFinite(afterMs)) throw new ScheduleError('INVALID_WINDOW', '', 'the instant must be a valid time');
  const binding = bindingOf(schedule, defaultDeps);
  let current: PlanInterval | null | undefined;
  for (let from = afterMs; from < afterMs + horizonDays * DAY; from += STEP) {
    const to = Math.min(from + STEP, afterMs + horizonDays * DAY);
    const intervals = expandBound(schedule, binding, from, to);
    // The states of the window in order: each interval and the silence between intervals.
    const states: { atMs: number; what: PlanInterval | null }[] = [];
    let cursor = from;
    for (const iv of intervals) {
      if (iv.startMs > cursor) states.push({ atMs: cursor, what: null });
      states.push({ atMs: iv.startMs, what: iv });
      cursor = iv.endMs;
    }
    if (cursor < to) states.push({ atMs: cursor, what: null });
    for (const s of states) {
      if (current === undefined) current = s.what;
      else if (!same(current, s.what)) return { atMs: s.atMs, from: current, to: s.what };
    }
  }
  return null;
}
