import { bindingOf } from './binding';
import { defaultDeps } from './default-deps';
import { ScheduleError } from './errors';
import { formatDate, formatInstant, formatLocal } from './iso';
import type { Instance } from './instances';
import { type PlanInterval, payloadOf } from './expand';
import type { Schedule } from './model';
import { type OverrideRange, buildTimeline, inForce, pick, topOverride } from './timeline';

/** What happened to one candidate at the instant asked about. */
export type TraceOutcome = 'won' | 'lost' | 'suppressed' | 'cancelled' | 'moved-away' | 'gap-skipped';

/** One block occurrence whose interval covers the instant, and why it did or did not play. */
export interface TraceEntry {
  blockId: string;
  /** `base`, or `override <id>` for a replacement block. */
  layer: string;
  rule: string;
  occurrence: string;
  startMs: number;
  endMs: number;
  priority: number;
  outcome: TraceOutcome;
  why: string;
}

/** The answer to "what plays at this instant, and why?". */
export interface Resolution {
  atMs: number;
  state: 'playing' | 'silence' | 'closed';
  /** The winner, with its programme and volume after overrides; its interval is the occurrence's whole interval. */
  playing: PlanInterval | null;
  /** One sentence: why this plays, or why nothing does. */
  reason: string;
  /** Every occurrence covering the instant, winner first. */
  trace: TraceEntry[];
}

const ORDER: Record<TraceOutcome, number> = {
  won: 0,
  lost: 1,
  suppressed: 2,
  cancelled: 3,
  'moved-away': 4,
  'gap-skipped': 5,
};

function overrideText(o: OverrideRange): string {
  const days = `${formatDate(o.override.from)}..${formatDate(o.override.to)}`;
  switch (o.override.action) {
    case 'closed':
      return `override "${o.override.id}" closes the zone on ${days}`;
    case 'replace':
      return `override "${o.override.id}" replaces the programming on ${days}`;
    case 'modify':
      return `override "${o.override.id}" modifies ${days}`;
  }
}

function entryFor(inst: Instance, schedule: Schedule, outcome: TraceOutcome, why: string): TraceEntry {
  const layer = inst.layer < 0 ? 'base' : `override ${schedule.overrides[inst.layer].id}`;
  return {
    blockId: inst.block.id,
    layer,
    rule: inst.rule.text,
    occurrence: formatLocal(inst.occurrence),
    startMs: inst.startMs,
    endMs: inst.endMs,
    priority: inst.block.priority,
    outcome,
    why,
  };
}

function notPlaying(inst: Instance, schedule: Schedule, zone: string): TraceEntry | undefined {
  const when = formatLocal(inst.occurrence);
  switch (inst.status) {
    case 'cancelled':
      return entryFor(inst, schedule, 'cancelled', `an exception cancels the occurrence of ${when}`);
    case 'moved-away': {
      const e = schedule.exceptions.find((x) => x.block === inst.block.id && formatLocal(x.occurrence) === when);
      const to = e && e.action === 'move' ? formatLocal(e.to) : 'another time';
      return entryFor(inst, schedule, 'moved-away', `an exception moves the occurrence of ${when} to ${to}`);
    }
    case 'gap-skipped':
      return entryFor(
        inst,
        schedule,
        'gap-skipped',
        `${when} does not exist in ${zone} (clocks jump forward) and the block's gap policy is "skip"`,
      );
    case 'active':
      return undefined;
  }
}

/**
 * What plays at `atMs` and why: the winning block with its programme, volume and start mode, and a trace of every
 * occurrence whose interval covers the instant (won, lost on priority, suppressed by an override, cancelled or moved
 * by an exception, skipped by a clock change). Pure: depends only on its arguments.
 */
export function resolve(schedule: Schedule, atMs: number): Resolution {
  if (!Number.isFinite(atMs)) throw new ScheduleError('INVALID_WINDOW', '', 'the instant must be a valid time');
  const binding = bindingOf(schedule, defaultDeps);
  const tl = buildTimeline(schedule, binding, atMs, atMs + 1);
  const top = topOverride(tl.overrides, atMs);
  const covering = tl.all.filter((i) => i.startMs <= atMs && atMs < i.endMs);
  const candidates = covering.filter((i) => i.status === 'active' && inForce(i, top));
  const winner = pick(candidates);
  const trace: TraceEntry[] = [];
  for (const inst of covering) {
    const skipped = notPlaying(inst, schedule, schedule.zone);
    if (skipped) trace.push(skipped);
    else if (!inForce(inst, top)) {
      const why = top ? overrideText(top) : 'its override is not in force at this instant';
      trace.push(entryFor(inst, schedule, 'suppressed', why));
    } else if (inst === winner) trace.push(entryFor(inst, schedule, 'won', winReason(inst, candidates)));
    else if (winner) trace.push(entryFor(inst, schedule, 'lost', loseReason(inst, winner)));
  }
  trace.sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome] || b.priority - a.priority || a.startMs - b.startMs);
  const at = formatInstant(atMs);
  if (!winner) {
    const closed = top?.override.action === 'closed';
    const reason = closed
      ? `Closed: ${overrideText(top)}.`
      : trace.length
        ? `Silence at ${at}: no occurrence in force plays (see the trace).`
        : `Silence at ${at}: no block covers this instant.`;
    return { atMs, state: closed ? 'closed' : 'silence', playing: null, reason, trace };
  }
  const playing = payloadOf(winner, top, winner.startMs, winner.endMs);
  let reason = `Block "${winner.block.id}" plays programme "${playing.programme}" at volume ${playing.volume}: ${trace[0].why}`;
  if (top && playing.overrideId === top.override.id && top.override.action === 'modify') {
    reason += `; ${overrideText(top)}`;
  }
  return { atMs, state: 'playing', playing, reason: `${reason}.`, trace };
}

function winReason(winner: Instance, candidates: readonly Instance[]): string {
  const others = candidates.filter((c) => c !== winner);
  const moved = winner.movedFrom ? `moved here from ${formatLocal(winner.movedFrom)} by an exception; ` : '';
  const layer = winner.layer >= 0 ? 'replacement block of the override in force; ' : '';
  if (!others.length) return `${moved}${layer}the only occurrence in force`;
  const ties = others.filter((c) => c.block.priority === winner.block.priority);
  if (!ties.length) return `${moved}${layer}highest priority (${winner.block.priority})`;
  return `${moved}${layer}priority ${winner.block.priority} ties with ${ties.map((t) => `"${t.block.id}"`).join(', ')}; the occurrence that started last wins (conflict)`;
}

function loseReason(inst: Instance, winner: Instance): string {
  if (inst.block.priority < winner.block.priority) {
    return `priority ${inst.block.priority} is lower than "${winner.block.id}" (${winner.block.priority})`;
  }
  if (inst.startMs < winner.startMs) {
    return `same priority as "${winner.block.id}", which started later and takes over (conflict)`;
  }
  return `same priority and start as "${winner.block.id}", which is listed first (conflict)`;
}
