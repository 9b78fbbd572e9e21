import { bindingOf } from './binding';
import { defaultDeps } from './default-deps';
import { formatLocal } from './iso';
import type { Schedule } from './model';
import { buildTimeline, checkWindow, sweep } from './timeline';

/** Blocks of the same priority that are in force at once, from `startMs` to `endMs`. */
export interface Conflict {
  startMs: number;
  endMs: number;
  priority: number;
  /** The overlapping occurrences (block id and wall-clock start), in document order. */
  blocks: { blockId: string; occurrence: string }[];
}

/**
 * Same-priority overlaps in [fromMs, toMs): spans where two or more occurrences of equal priority are in force
 * together (the one that started last plays; a conflict usually means the schedule needs a priority). Overlaps that
 * a closed day or a replacement hides are not conflicts, since nothing of them can play.
 */
export function conflicts(schedule: Schedule, fromMs: number, toMs: number): Conflict[] {
  checkWindow(fromMs, toMs);
  const binding = bindingOf(schedule, defaultDeps);
  const out: (Conflict & { key: string })[] = [];
  sweep(buildTimeline(schedule, binding, fromMs, toMs), (start, end, candidates) => {
    if (candidates.length < 2) return;
    const byPriority = new Map<number, typeof candidates>();
    for (const c of candidates) byPriority.set(c.block.priority, [...(byPriority.get(c.block.priority) ?? []), c]);
    for (const [priority, group] of byPriority) {
      if (group.length < 2) continue;
      group.sort((a, b) => a.layer - b.layer || a.order - b.order || a.startMs - b.startMs);
      const blocks = group.map((g) => ({ blockId: g.block.id, occurrence: formatLocal(g.occurrence) }));
      const key = `${priority}|${blocks.map((b) => `${b.blockId}@${b.occurrence}`).join(',')}`;
      const prev = out.find((c) => c.key === key && c.endMs === start);
      if (prev) prev.endMs = end;
      else out.push({ startMs: start, endMs: end, priority, blocks, key });
    }
  });
  return out.sort((a, b) => a.startMs - b.startMs || b.priority - a.priority).map(({ key: _key, ...c }) => c);
}
