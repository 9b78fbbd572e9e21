import type { Binding } from './binding';
import { localAsUtcMs } from './iso';
import { type Instance, expandBounded, instanceOf, maxLengthMs, plainEndMs, ruleOf } from './instances';
import type { Block } from './model';

const DAY = 86_400_000;
/** Windows remembered per shared rule; a hub compiles a few windows (this week, next week) at a time. */
const WINDOWS_PER_RULE = 8;

/**
 * The occurrences of one block that play in a window, as columns sorted by start (ties keep the rule's order):
 * real start and end (UTC ms) and the wall-clock start the rule named (fields-as-UTC ms). Typed arrays, not one
 * object per occurrence, so compiling thousands of zones allocates little and leaves the garbage collector little.
 */
export interface BlockColumns {
  start: Float64Array;
  end: Float64Array;
  wall: Float64Array;
}

// Intervals depend on the rule, the zone (bound into the rule), the block's length and gap policy, and the window;
// not on its programme or priority. Only rules a `cachedDeps` shares between schedules are cached here: the 10,000
// zones of a hub built from 30 templates then compute each block's intervals 30 times, not 10,000.
const cache = new WeakMap<object, Map<string, BlockColumns>>();

function lengthKey(block: Block): string {
  const l = block.length;
  return 'end' in l ? `e${l.end.hour}:${l.end.minute}:${l.end.second}` : `d${l.duration.days}:${l.duration.seconds}`;
}

/** The columns of a block's playing occurrences that touch [fromMs, toMs) (see `BlockColumns`). */
export function blockColumns(binding: Binding, block: Block, fromMs: number, toMs: number): BlockColumns {
  const rule = ruleOf(binding, block);
  if (!rule.shared) return computeColumns(binding, block, fromMs, toMs);
  let windows = cache.get(rule);
  if (!windows) cache.set(rule, (windows = new Map<string, BlockColumns>()));
  const key = `${lengthKey(block)}|${block.gap}|${fromMs}|${toMs}|${binding.deps.maxOccurrences}`;
  let columns = windows.get(key);
  if (!columns) {
    columns = computeColumns(binding, block, fromMs, toMs);
    if (windows.size >= WINDOWS_PER_RULE) windows.clear();
    windows.set(key, columns);
  }
  return columns;
}

// Reused by every computation (synchronous), grown when needed.
let scratch = new Float64Array(0);

/** Same instants as `layerInstances` gives for the base layer without exceptions, keeping only those that play. */
function computeColumns(binding: Binding, block: Block, fromMs: number, toMs: number): BlockColumns {
  const rule = ruleOf(binding, block);
  const occurrences = expandBounded(binding, block, rule, fromMs - maxLengthMs(block), toMs);
  const transitions = binding.zone.transitions(fromMs - 9 * DAY, toMs + DAY).map((t) => t.atMs);
  const reach = maxLengthMs(block) + DAY;
  if (scratch.length < 3 * occurrences.length) scratch = new Float64Array(3 * occurrences.length);
  const start = scratch.subarray(0, occurrences.length);
  const end = scratch.subarray(occurrences.length, 2 * occurrences.length);
  const wall = scratch.subarray(2 * occurrences.length, 3 * occurrences.length);
  let n = 0;
  let sorted = true;
  for (const occ of occurrences) {
    let near = occ.inGap;
    for (let k = 0; !near && k < transitions.length; k++) {
      near = transitions[k] > occ.startMs - DAY && transitions[k] < occ.startMs + reach;
    }
    const w = localAsUtcMs(occ.local);
    let s = occ.startMs;
    let e: number;
    if (near) {
      // Rare (a day around a clock change): the instance rules in full, with their zone lookups.
      const inst: Instance = instanceOf(block, 0, -1, rule, binding.zone, occ, true);
      if (inst.status !== 'active') continue;
      s = inst.startMs;
      e = inst.endMs;
    } else {
      e = plainEndMs(block, s, w);
    }
    if (!(e > s && e > fromMs && s < toMs)) continue;
    if (n > 0 && s < start[n - 1]) sorted = false;
    start[n] = s;
    end[n] = e;
    wall[n] = w;
    n++;
  }
  // One buffer for the three columns: each typed array with its own buffer costs an allocation to make and collect.
  const buffer = new ArrayBuffer(24 * n);
  const columns = {
    start: new Float64Array(buffer, 0, n),
    end: new Float64Array(buffer, 8 * n, n),
    wall: new Float64Array(buffer, 16 * n, n),
  };
  columns.start.set(start.subarray(0, n));
  columns.end.set(end.subarray(0, n));
  columns.wall.set(wall.subarray(0, n));
  return sorted ? columns : sortByStart(columns);
}

/** Sorts columns by start; Array.prototype.sort is stable, so equal starts keep the rule's order. */
function sortByStart(c: BlockColumns): BlockColumns {
  const order = Array.from(c.start, (_, i) => i).sort((a, b) => c.start[a] - c.start[b]);
  return {
    start: Float64Array.from(order, (i) => c.start[i]),
    end: Float64Array.from(order, (i) => c.end[i]),
    wall: Float64Array.from(order, (i) => c.wall[i]),
  };
}
