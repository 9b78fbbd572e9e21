import type { ClockChange } from '../schedule/clock-changes';
import type { Conflict } from '../schedule/conflicts';
import type { PlanInterval } from '../schedule/expand';
import { formatInstant } from '../schedule/iso';
import type { Resolution } from '../schedule/resolve';
import type { StartMode } from '../schedule/model';

function startText(s: StartMode): string {
  if (s.mode === 'hard') return 'hard';
  return s.maxLatenessSec === undefined ? 'soft' : `soft(max ${s.maxLatenessSec}s late)`;
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '\\n');
}

/** One plan interval on one line. */
export function intervalLine(i: PlanInterval): string {
  const extra = [i.overrideId ? `override=${i.overrideId}` : '', i.movedFrom ? `moved-from=${i.movedFrom}` : ''].filter(
    Boolean,
  );
  return [
    `${formatInstant(i.startMs)} ${formatInstant(i.endMs)}`,
    `block=${i.blockId}`,
    `programme=${i.programme}`,
    `volume=${i.volume}`,
    `start=${startText(i.start)}`,
    `occurrence=${i.occurrence}`,
    ...extra,
    `${i.ruleKind}="${oneLine(i.rule)}"`,
  ].join('  ');
}

/** A plan as text: a header, then one interval per line. */
export function formatPlan(plan: PlanInterval[], zone: string, from: number, to: number): string[] {
  return [
    `# plan for ${zone} from ${formatInstant(from)} to ${formatInstant(to)}: ${plan.length} interval(s); gaps are silence`,
    ...plan.map(intervalLine),
  ];
}

/** A resolution as text: the answer, the reason, then the trace. */
export function formatResolution(r: Resolution, zone: string): string[] {
  const lines = [`at ${formatInstant(r.atMs)} (${zone}): ${r.state}`];
  if (r.playing) lines.push(`playing: ${intervalLine(r.playing)}`);
  lines.push(`why: ${r.reason}`);
  if (r.trace.length) lines.push('trace:');
  for (const t of r.trace) {
    lines.push(
      `  ${t.outcome.padEnd(11)} ${t.blockId} (${t.layer}, priority ${t.priority}, occurrence ${t.occurrence}, ` +
        `${formatInstant(t.startMs)}..${formatInstant(t.endMs)}): ${t.why}`,
    );
  }
  return lines;
}

/** Conflicts as text, one per line. */
export function formatConflicts(found: Conflict[]): string[] {
  if (!found.length) return ['no conflicts'];
  return found.map(
    (c) =>
      `${formatInstant(c.startMs)} ${formatInstant(c.endMs)}  priority ${c.priority}: ` +
      c.blocks.map((b) => `${b.blockId}@${b.occurrence}`).join(', '),
  );
}

/** Clock changes as text: each change, then its effects. */
export function formatClockChanges(changes: ClockChange[], zone: string): string[] {
  if (!changes.length) return [`no clock changes in ${zone} in this window`];
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`${formatInstant(c.atMs)} ${zone} ${c.description} (${c.direction})`);
    if (!c.effects.length) lines.push('  no block is affected');
    for (const e of c.effects) lines.push(`  ${e.message}`);
  }
  return lines;
}
