import type { Binding } from './binding';
import { ScheduleError } from './errors';
import { formatInstant } from './iso';
import { type Instance, exceptionIndex, layerInstances } from './instances';
import type { LocalDate, Override, Schedule } from './model';

const DAY = 86_400_000;
/** The longest window one expansion may cover. */
export const MAX_WINDOW_DAYS = 400;

/** An override placed on the timeline: whole local days, midnight to midnight in the schedule's zone. */
export interface OverrideRange {
  override: Override;
  index: number;
  startMs: number;
  endMs: number;
}

/** Every instance that may touch a window, and the overrides over it. */
export interface Timeline {
  fromMs: number;
  toMs: number;
  /** Every instance, including those that do not play (cancelled, moved away, skipped by a gap), for traces. */
  all: Instance[];
  /** Instances that play, sorted by start. */
  active: Instance[];
  overrides: OverrideRange[];
}

/** Refuses windows that are empty, reversed, not finite or too long to expand in bounded time. */
export function checkWindow(fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new ScheduleError('INVALID_WINDOW', '', 'the window bounds must be valid instants');
  }
  if (toMs <= fromMs) {
    throw new ScheduleError(
      'INVALID_WINDOW',
      '',
      `the window end ${formatInstant(toMs)} must be after its start ${formatInstant(fromMs)}`,
    );
  }
  if (toMs - fromMs > MAX_WINDOW_DAYS * DAY) {
    throw new ScheduleError('INVALID_WINDOW', '', `the window is longer than ${MAX_WINDOW_DAYS} days; split it`);
  }
}

function midnight(binding: Binding, date: LocalDate, plusDays: number): number {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day + plusDays));
  const r = binding.zone.resolveLocal({
    year: day.getUTCFullYear(),
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    hour: 0,
    minute: 0,
    second: 0,
  });
  // Zones that change clocks at midnight start the day at the transition (gap) or at the first midnight (overlap).
  switch (r.kind) {
    case 'unique':
      return r.utcMs;
    case 'ambiguous':
      return r.earlierMs;
    case 'gap':
      return r.transitionMs;
  }
}

/** The overrides that touch [fromMs, toMs), in document order (later ones take precedence). */
export function overrideRanges(schedule: Schedule, binding: Binding, fromMs: number, toMs: number): OverrideRange[] {
  const out: OverrideRange[] = [];
  schedule.overrides.forEach((override, index) => {
    const startMs = midnight(binding, override.from, 0);
    const endMs = midnight(binding, override.to, 1);
    if (startMs < toMs && endMs > fromMs) out.push({ override, index, startMs, endMs });
  });
  return out;
}

/** Builds the timeline of [fromMs, toMs): base instances, replacement blocks clipped to their override's days. */
export function buildTimeline(schedule: Schedule, binding: Binding, fromMs: number, toMs: number): Timeline {
  const exceptions = exceptionIndex(schedule);
  const overrides = overrideRanges(schedule, binding, fromMs, toMs);
  const all = layerInstances(binding, schedule.blocks, -1, exceptions, fromMs, toMs);
  for (const range of overrides) {
    if (range.override.action !== 'replace') continue;
    const from = Math.max(fromMs, range.startMs);
    const to = Math.min(toMs, range.endMs);
    for (const inst of layerInstances(binding, range.override.blocks, range.index, exceptions, from, to)) {
      inst.startMs = Math.max(inst.startMs, range.startMs);
      inst.endMs = Math.min(inst.endMs, range.endMs);
      if (inst.endMs > inst.startMs) all.push(inst);
    }
  }
  const plays = (i: Instance): boolean =>
    i.status === 'active' && i.endMs > i.startMs && i.endMs > fromMs && i.startMs < toMs;
  // Usually every instance plays: then sort `all` itself (its order means nothing) instead of copying it.
  let everyOnePlays = true;
  for (let k = 0; everyOnePlays && k < all.length; k++) everyOnePlays = plays(all[k]);
  const active = everyOnePlays ? all : all.filter(plays);
  active.sort((a, b) => a.startMs - b.startMs || a.order - b.order);
  return { fromMs, toMs, all, active, overrides };
}

/** The override in force at `ms`: the last one in the document that covers it. */
export function topOverride(overrides: readonly OverrideRange[], ms: number): OverrideRange | undefined {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i];
    if (o.startMs <= ms && ms < o.endMs) return o;
  }
  return undefined;
}

/** Whether an instance belongs to the layer in force under `top` (closed days have none). */
export function inForce(inst: Instance, top: OverrideRange | undefined): boolean {
  if (!top) return inst.layer === -1;
  switch (top.override.action) {
    case 'closed':
      return false;
    case 'replace':
      return inst.layer === top.index;
    case 'modify':
      return inst.layer === -1;
  }
}

/**
 * The winner among instances in force: the highest priority; among equals the one that started last (a new block
 * takes over), then the one listed first.
 */
export function pick(candidates: readonly Instance[]): Instance | undefined {
  let best: Instance | undefined;
  for (const c of candidates) {
    if (
      !best ||
      c.block.priority > best.block.priority ||
      (c.block.priority === best.block.priority &&
        (c.startMs > best.startMs || (c.startMs === best.startMs && c.order < best.order)))
    ) {
      best = c;
    }
  }
  return best;
}

/**
 * Walks [fromMs, toMs) segment by segment, where a segment is a span in which the same instances are in force and
 * the same override applies. `visit` gets the instances in force (unsorted; a scratch array it must not keep) and
 * the override. Runs in O(n * open) for n instances, with no sorting beyond the timeline's own.
 */
export function sweep(
  tl: Timeline,
  visit: (startMs: number, endMs: number, candidates: Instance[], top: OverrideRange | undefined) => void,
): void {
  const active = tl.active;
  const overrides = tl.overrides;
  const open: Instance[] = [];
  const inForceNow: Instance[] = [];
  let next = 0;
  let t = tl.fromMs;
  while (t < tl.toMs) {
    while (next < active.length && active[next].startMs <= t) open.push(active[next++]);
    let w = 0;
    for (let r = 0; r < open.length; r++) if (open[r].endMs > t) open[w++] = open[r];
    if (w !== open.length) open.length = w;
    let boundary = tl.toMs;
    if (next < active.length && active[next].startMs < boundary) boundary = active[next].startMs;
    for (let r = 0; r < w; r++) if (open[r].endMs < boundary) boundary = open[r].endMs;
    if (overrides.length === 0) {
      visit(t, boundary, open, undefined);
    } else {
      for (const o of overrides) {
        if (o.startMs > t && o.startMs < boundary) boundary = o.startMs;
        if (o.endMs > t && o.endMs < boundary) boundary = o.endMs;
      }
      const top = topOverride(overrides, t);
      inForceNow.length = 0;
      for (const i of open) if (inForce(i, top)) inForceNow.push(i);
      visit(t, boundary, inForceNow, top);
    }
    t = boundary;
  }
}
