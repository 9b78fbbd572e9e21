/** Expanding a parsed RRULE (with DTSTART, RDATE, EXDATE) into occurrences inside a window of instants. */
import type { Occurrence, RRuleGapMode } from '../rules/types';
import { MS_PER_DAY, MS_PER_HOUR, msToLocal } from '../time/civil';
import { GAP, resolved, resolveLocalMs } from '../time/zone';
import { compile, type Compiled } from './compile';
import { generate } from './generate';
import type { RRule } from './model';

/** No offset is more than 14 hours from UTC, so a window of instants lies within this margin in local time. */
const OFFSET_MARGIN_MS = 15 * MS_PER_HOUR;
/** In `shift` mode an instance can move forward by a whole gap (Samoa skipped a day in 2011). */
const SHIFT_MARGIN_MS = MS_PER_DAY + MS_PER_HOUR;

interface Collected {
  start: number[];
  local: number[];
  gap: boolean[];
}

function excluded(c: Compiled | null, rule: RRule, localMs: number, startMs: number): boolean {
  if (c === null) {
    return (
      rule.exdateLocalMs.includes(localMs) ||
      rule.exdateUtcMs.includes(startMs) ||
      rule.exdateDays.includes(Math.floor(localMs / MS_PER_DAY))
    );
  }
  return (
    c.exLocal.has(localMs) ||
    c.exUtc.has(startMs) ||
    (c.exDays.size > 0 && c.exDays.has(Math.floor(localMs / MS_PER_DAY)))
  );
}

/**
 * Occurrences of `rule` starting in [fromMs, toMs), ascending and de-duplicated, at most `limit`. See the rule layer's
 * documentation (rules/index.ts) for the time-zone semantics of each gap mode.
 */
export function expandRRule(rule: RRule, fromMs: number, toMs: number, limit: number, gap: RRuleGapMode): Occurrence[] {
  const c = rule.recurrence === null ? null : compile(rule);
  const col: Collected = { start: [], local: [], gap: [] };
  const push = (localMs: number, startMs: number, inGap: boolean): void => {
    if (startMs >= fromMs && startMs < toMs && !excluded(c, rule, localMs, startMs)) {
      col.start.push(startMs);
      col.local.push(localMs);
      col.gap.push(inGap);
    }
  };

  // DTSTART is always the first instance, read as RFC 5545 3.3.5 reads it.
  const dtKind = resolveLocalMs(rule.dtstartLocalMs, rule.tz);
  const dtInGap = dtKind === GAP;
  push(rule.dtstartLocalMs, dtInGap ? (rule.dateOnly ? resolved.a : resolved.b) : resolved.a, dtInGap);

  if (c !== null && limit > 0) {
    let stopAtLocal = Infinity;
    generate(
      c,
      { fromLocal: fromMs - OFFSET_MARGIN_MS, toLocal: toMs + OFFSET_MARGIN_MS, gap },
      (localMs, startMs, inGap) => {
        if (localMs > stopAtLocal) return false;
        push(localMs, startMs, inGap);
        if (col.start.length >= limit + 1 && stopAtLocal === Infinity) {
          // Skip and keep map wall times to instants monotonically, so the first `limit` are final; shift can move
          // a skipped time past later ones, so look one gap further before stopping.
          if (gap !== 'shift') return false;
          stopAtLocal = localMs + SHIFT_MARGIN_MS;
        }
        return true;
      },
    );
  }
  for (const rd of rule.rdates) push(rd.localMs, rd.startMs, rd.inGap);
  return finish(col, limit, gap === 'keep');
}

/** Sorts by instant (then wall time), drops duplicates, truncates to `limit`, and builds the Occurrence objects. */
function finish(col: Collected, limit: number, keepDistinctLocals: boolean): Occurrence[] {
  const n = col.start.length;
  let order: number[] | null = null;
  for (let i = 1; i < n; i++) {
    if (col.start[i] < col.start[i - 1] || (col.start[i] === col.start[i - 1] && col.local[i] < col.local[i - 1])) {
      order = Array.from({ length: n }, (_, j) => j);
      order.sort((a, b) => col.start[a] - col.start[b] || col.local[a] - col.local[b]);
      break;
    }
  }
  const out: Occurrence[] = [];
  let prevStart = NaN;
  let prevLocal = NaN;
  for (let j = 0; j < n && out.length <= limit; j++) {
    const i = order === null ? j : order[j];
    const start = col.start[i];
    const local = col.local[i];
    if (start === prevStart && (!keepDistinctLocals || local === prevLocal)) {
      // Same instant twice (an RDATE repeating an instance, or a shifted gap time landing on a real one): keep one,
      // preferring the wall time that exists.
      if (out[out.length - 1].inGap && !col.gap[i])
        out[out.length - 1] = { startMs: start, local: msToLocal(local), inGap: false };
      continue;
    }
    prevStart = start;
    prevLocal = local;
    out.push({ startMs: start, local: msToLocal(local), inGap: col.gap[i] });
  }
  if (out.length > limit) out.length = limit;
  return out;
}
