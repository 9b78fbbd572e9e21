/**
 * The rule layer of the schedules engine: IANA time zones, RFC 5545 recurrence rules and cron expressions.
 *
 * Time-zone semantics (the schedules README quotes this):
 * - Nothing depends on the process's own time zone. Instants are UTC epoch milliseconds; wall-clock times are explicit
 *   fields; zone offsets come from the runtime's IANA tz database ({@link tzdbVersion}) through Intl, cached per zone
 *   and year. Years 1000-9999 are supported.
 * - A rule is expanded in floating local time in its zone (an RRULE's DTSTART TZID, UTC for a `Z` DTSTART, else the
 *   venue's zone; a cron rule's zone), and each wall-clock time is then mapped to an instant by an explicit policy.
 * - RRULE:
 *   - an instance whose wall-clock time does not exist (spring-forward gap) is ignored and not counted toward COUNT
 *     (RFC 5545 3.3.10). Gap mode `shift` (CLI `--gap shift`) instead reads it with the UTC offset from before the gap,
 *     so 02:30 on a 02:00->03:00 night becomes 03:30; gap mode `keep` reports it at the transition instant with
 *     `inGap: true`, for block-level policies (a 02:30-04:00 block plays 03:00-04:00 under `clip`);
 *   - an ambiguous wall-clock time (fall-back) means its first occurrence (RFC 5545 3.3.5);
 *   - HOURLY, MINUTELY and SECONDLY step wall-clock time too: FREQ=HOURLY names the repeated hour once, and
 *     INTERVAL=2 stays on the same wall-clock hours across a change (libraries that step elapsed time shift by one);
 *   - DTSTART is always read as 3.3.5 says (in a gap: shifted; repeated: first) and is always the first instance,
 *     counted by COUNT, even when it does not match the pattern; later instances keep DTSTART's own wall-clock time;
 *   - a DATE (whole-day) rule's instances start at the first instant of their local day;
 *   - BYxxx parts always intersect (BYDAY limits beside BYMONTHDAY or BYYEARDAY, RFC 5545 3.3.10 note 2); parts the
 *     rule leaves out come from DTSTART (YEARLY;BYWEEKNO=20 recurs on DTSTART's weekday of week 20);
 *   - UNTIL with `Z` is an instant; without, a wall-clock time in the rule's zone; a DATE includes its whole day;
 *   - EXDATE removes instances after COUNT is applied: in the rule's zone it matches the wall-clock time an instance
 *     names, with `Z` or another TZID the instant, with VALUE=DATE every instance of that day. RDATE adds instances
 *     (read like DTSTART) outside COUNT.
 * - cron (Vixie cron): a fixed wall time swallowed by a spring-forward gap fires once, at the first instant after the
 *   gap (`inGap: true`); a fixed wall time repeated by fall-back fires once, at its first occurrence; when the hour
 *   field is a wildcard or a step (`*`, `*\/2`, `8-20/4`), every elapsed instant whose wall clock matches fires:
 *   twice in a repeated hour, never in a skipped one. With both day-of-month and day-of-week restricted, either one
 *   matching is enough; a day field beginning with `*` (including `*\/2`) counts as unrestricted, as in Vixie cron.
 * - Results are ascending by instant and de-duplicated (one occurrence per instant, naming the wall time that exists;
 *   with gap mode `keep`, different wall times meeting at a transition are all kept, in wall-clock order). They are
 *   bounded: at most `limit` and {@link MAX_OCCURRENCES} per call; a call that would need more than a fixed amount of
 *   work (COUNT counted from a DTSTART far behind the window) fails with TOO_EXPENSIVE instead of hanging. Malformed
 *   rules, unknown zones and combinations no date can meet fail with a {@link RuleError} naming the part and its
 *   offset in the input.
 */
import type { CronRule } from '../cron/model';
import { expandCron } from '../cron/expand';
import { parseCron } from '../cron/parse';
import type { RRule } from '../rrule/model';
import { expandRRule } from '../rrule/expand';
import { parseRRule } from '../rrule/parse';
import { daysFromCivil, MS_PER_DAY } from '../time/civil';
import { MAX_YEAR, MIN_YEAR } from '../time/zone';
import { RuleError } from './errors';
import type { ExpandOptions, Occurrence } from './types';

export * from './types';
export { RuleError, type RuleErrorCode } from './errors';
export { assertZone, isValidZone, offsetTransitions, resolveLocal, tzdbVersion, utcToLocal } from '../time/zone';
export { formatUtc, formatLocal } from '../time/civil';
export { parseRRule, type ParseRRuleOptions } from '../rrule/parse';
export type { Frequency, RDateEntry, Recurrence, RRule, WeekdayNum } from '../rrule/model';
export { parseCron } from '../cron/parse';
export type { CronRule } from '../cron/model';

/** Hard ceiling on the occurrences one expansion returns (and the default `limit`). */
export const MAX_OCCURRENCES = 100_000;

/** Either kind of rule. */
export type Rule = RRule | CronRule;

/** Earliest and latest instants the rule layer answers for (years 1000-9999, minus a margin for offsets). */
const MIN_MS = (daysFromCivil(MIN_YEAR, 1, 1) + 2) * MS_PER_DAY;
const MAX_MS = (daysFromCivil(MAX_YEAR, 12, 30) - 2) * MS_PER_DAY;

/** Parses `{ rrule }` (floating DTSTART in `tz`) or `{ cron }` (evaluated in `tz`). */
export function parseRule(input: { rrule: string } | { cron: string }, tz: string): Rule {
  if ('rrule' in input) return parseRRule(input.rrule, { defaultTz: tz });
  return parseCron(input.cron, tz);
}

function checkInstant(ms: number, part: string): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RuleError('INVALID_WINDOW', `${part} must be a finite instant (epoch milliseconds)`, { part });
  }
}

function limitOf(opts: ExpandOptions | undefined): number {
  const limit = opts?.limit ?? MAX_OCCURRENCES;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RuleError('INVALID_WINDOW', `limit must be a non-negative integer, got ${String(limit)}`, {
      part: 'limit',
    });
  }
  return Math.min(limit, MAX_OCCURRENCES);
}

/** Occurrences with `startMs` in [fromMs, toMs), ascending, de-duplicated, at most `opts.limit` / MAX_OCCURRENCES. */
export function expandRule(rule: Rule, fromMs: number, toMs: number, opts?: ExpandOptions): Occurrence[] {
  checkInstant(fromMs, 'from');
  checkInstant(toMs, 'to');
  if (toMs < fromMs)
    throw new RuleError('INVALID_WINDOW', 'the window ends before it starts: swap from and to', { part: 'to' });
  const limit = limitOf(opts);
  const from = Math.max(fromMs, MIN_MS);
  const to = Math.min(toMs, MAX_MS);
  if (to <= from || limit === 0) return [];
  if (rule.kind === 'cron') return expandCron(rule, from, to, limit);
  return expandRRule(rule, from, to, limit, opts?.gap ?? 'skip');
}

/** Search windows for {@link nextOccurrence}: short first (the common case), then wider, up to the year 9999. */
const NEXT_WINDOWS_MS = [8 * MS_PER_DAY, 400 * MS_PER_DAY, 30 * 366 * MS_PER_DAY, Infinity];

/** The first occurrence strictly after `afterMs`, or null when the rule has no more (COUNT/UNTIL) before 9999. */
export function nextOccurrence(rule: Rule, afterMs: number, opts?: ExpandOptions): Occurrence | null {
  checkInstant(afterMs, 'after');
  const from = Math.max(Math.floor(afterMs) + 1, MIN_MS);
  if (rule.kind === 'rrule') {
    // The generator jumps straight to the window and stops at the first instance, so one open-ended call suffices.
    return expandRule(rule, from, MAX_MS, { ...opts, limit: 1 })[0] ?? null;
  }
  for (const w of NEXT_WINDOWS_MS) {
    const to = Math.min(from + w, MAX_MS);
    const hit = expandRule(rule, from, to, { ...opts, limit: 1 })[0];
    if (hit !== undefined) return hit;
    if (to >= MAX_MS) break;
  }
  return null;
}
