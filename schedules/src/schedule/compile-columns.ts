import type { Binding } from './binding';
import { type BlockColumns, blockColumns } from './block-columns';
import { CompiledSchedule, type Slot } from './compile';
import { ruleOf } from './instances';
import type { Schedule } from './model';

/** The occurrences of every block, merged into one start order (ties: the block listed first). */
interface Merged {
  start: Float64Array;
  end: Float64Array;
  wall: Float64Array;
  /** The block's position in the schedule. */
  block: Int32Array;
}

// Scratch columns reused by every compile (grown when needed): allocating typed arrays costs far more than filling
// them, and a hub compiles thousands of zones in a row. Compiling is synchronous, so one set is enough.
let scratch: Merged & { open: Int32Array; boundaries: Float64Array; slotOf: Int32Array; walls: Float64Array } = {
  start: new Float64Array(0),
  end: new Float64Array(0),
  wall: new Float64Array(0),
  block: new Int32Array(0),
  open: new Int32Array(0),
  boundaries: new Float64Array(0),
  slotOf: new Int32Array(0),
  walls: new Float64Array(0),
};

function scratchFor(n: number): typeof scratch {
  if (scratch.start.length < n) {
    const size = Math.max(n, 2 * scratch.start.length);
    scratch = {
      start: new Float64Array(size),
      end: new Float64Array(size),
      wall: new Float64Array(size),
      block: new Int32Array(size),
      open: new Int32Array(size),
      boundaries: new Float64Array(2 * size + 2),
      slotOf: new Int32Array(2 * size + 1),
      walls: new Float64Array(2 * size + 1),
    };
  }
  return scratch;
}

/** Merges into the scratch columns; returns how many occurrences there are. */
function merge(columns: readonly BlockColumns[]): number {
  let n = 0;
  for (const c of columns) n += c.start.length;
  const out = scratchFor(n);
  // Each block's columns are sorted: a k-way merge by scanning the heads (a schedule has few blocks).
  const head: number[] = columns.map(() => 0);
  for (let m = 0; m < n; m++) {
    let best = -1;
    let bestStart = Infinity;
    for (let b = 0; b < columns.length; b++) {
      const h = head[b];
      // Strictly less: on equal starts the block listed first comes first, as the timeline sorts them.
      if (h < columns[b].start.length && columns[b].start[h] < bestStart) {
        best = b;
        bestStart = columns[b].start[h];
      }
    }
    const c = columns[best];
    const h = head[best]++;
    out.start[m] = c.start[h];
    out.end[m] = c.end[h];
    out.wall[m] = c.wall[h];
    out.block[m] = best;
  }
  return n;
}

/**
 * `compile` for a window with no override and a schedule with no exceptions (most zones, most weeks): the same
 * sweep and winner rule as the timeline (`sweep`, `pick`), on columns of numbers instead of one object per
 * occurrence. The caller checks those conditions and the window.
 */
export function compileColumns(schedule: Schedule, binding: Binding, fromMs: number, toMs: number): CompiledSchedule {
  const blocks = schedule.blocks;
  const n = merge(blocks.map((b) => blockColumns(binding, b, fromMs, toMs)));
  // Every instance start and end is at most one boundary: 2n + 1 spans at most, which the scratch holds.
  const { start, end, wall, block, open, boundaries, slotOf, walls } = scratch;
  const priority = blocks.map((b) => b.priority);
  const slotOfBlock = blocks.map(() => -1);
  const slots: Slot[] = [];
  let spans = 0;
  let openCount = 0;
  let next = 0;
  let lastWinner = -2;
  let t = fromMs;
  while (t < toMs) {
    while (next < n && start[next] <= t) open[openCount++] = next++;
    let w = 0;
    for (let r = 0; r < openCount; r++) if (end[open[r]] > t) open[w++] = open[r];
    openCount = w;
    let boundary = toMs;
    if (next < n && start[next] < boundary) boundary = start[next];
    // The winner as `pick` chooses it: highest priority, then the latest start, then the block listed first; on a
    // full tie the one opened first.
    let winner = -1;
    for (let r = 0; r < openCount; r++) {
      const i = open[r];
      if (end[i] < boundary) boundary = end[i];
      if (
        winner < 0 ||
        priority[block[i]] > priority[block[winner]] ||
        (priority[block[i]] === priority[block[winner]] &&
          (start[i] > start[winner] || (start[i] === start[winner] && block[i] < block[winner])))
      ) {
        winner = i;
      }
    }
    if (winner !== lastWinner) {
      boundaries[spans] = t;
      if (winner < 0) {
        slotOf[spans] = -1;
        walls[spans] = NaN;
      } else {
        const b = block[winner];
        if (slotOfBlock[b] < 0) slotOfBlock[b] = slots.push(slotOfPlain(binding, blocks[b])) - 1;
        slotOf[spans] = slotOfBlock[b];
        walls[spans] = wall[winner];
      }
      spans++;
      lastWinner = winner;
    }
    t = boundary;
  }
  boundaries[spans] = toMs;
  // One buffer for the three result arrays: each typed array with its own buffer costs an allocation to make and
  // to collect, which for a compiled week is more than filling it.
  const buffer = new ArrayBuffer(8 * (2 * spans + 1) + 4 * spans);
  const resultBoundaries = new Float64Array(buffer, 0, spans + 1);
  const resultWalls = new Float64Array(buffer, 8 * (spans + 1), spans);
  const resultSlotOf = new Int32Array(buffer, 8 * (2 * spans + 1), spans);
  resultBoundaries.set(boundaries.subarray(0, spans + 1));
  resultWalls.set(walls.subarray(0, spans));
  resultSlotOf.set(slotOf.subarray(0, spans));
  return new CompiledSchedule(fromMs, toMs, resultBoundaries, resultSlotOf, slots, resultWalls, new Map());
}

/** What a block plays with no override in force (as `payloadOf` gives it, without times). */
function slotOfPlain(binding: Binding, b: Schedule['blocks'][number]): Slot {
  const rule = ruleOf(binding, b);
  return {
    blockId: b.id,
    programme: b.programme,
    volume: b.volume,
    priority: b.priority,
    start: b.start,
    rule: rule.text,
    ruleKind: rule.kind,
  };
}
