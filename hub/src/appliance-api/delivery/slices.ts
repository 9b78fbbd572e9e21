/**
 * Bulk work of downloads (sealing and writing a batch) in short slices shared by all of them, so that the event loop
 * comes back to I/O every ~millisecond: a new request's parsing, signature check, nonce commit and lookups each wait
 * for at most one slice, not for a batch of every other download (at 200 concurrent downloads that was seconds).
 *
 * A task is queued with the bytes it will encrypt; a pump (setImmediate: after the poll phase, so I/O callbacks run
 * between slices) runs queued tasks in order until a slice's byte budget is spent, then yields. Urgent tasks (a
 * download's first batch, which carries its first bytes) run before the others.
 */

/** Bytes encrypted per slice: about a millisecond of XChaCha20-Poly1305 on one core. */
export const SLICE_BYTES = 1024 * 1024;

class TaskQueue {
  private items: (() => void)[] = [];
  private costs: number[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(cost: number, task: () => void): void {
    this.items.push(task);
    this.costs.push(cost);
  }

  /** Runs the next task; returns its cost. */
  runNext(): number {
    const task = this.items[this.head];
    const cost = this.costs[this.head];
    this.items[this.head] = noop;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.costs = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.head = 0;
    }
    task();
    return cost;
  }
}

function noop(): void {}

const urgent = new TaskQueue();
const normal = new TaskQueue();
let scheduled = false;

/** Queues `task` (which will encrypt about `bytes`) for the next slice; `first` puts it ahead of the others. */
export function sliced(bytes: number, task: () => void, first = false): void {
  (first ? urgent : normal).push(bytes, task);
  if (!scheduled) {
    scheduled = true;
    setImmediate(pump);
  }
}

function pump(): void {
  scheduled = false;
  let budget = SLICE_BYTES;
  try {
    while (budget > 0 && urgent.size + normal.size > 0) {
      budget -= urgent.size > 0 ? urgent.runNext() : normal.runNext();
    }
  } finally {
    // Tasks catch their own errors; should one throw anyway, the others still run.
    if (urgent.size + normal.size > 0 && !scheduled) {
      scheduled = true;
      setImmediate(pump);
    }
  }
}
