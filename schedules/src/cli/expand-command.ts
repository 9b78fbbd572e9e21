import { MAX_OCCURRENCES, type Rule, assertZone, expandRule, parseCron, parseRRule } from '../rules';
import { formatInstant } from '../schedule/iso';
import { type ParsedArgs, UsageError, parseArgs, required } from './args';
import { instantFlag } from './values';

export const EXPAND_HELP = `Usage:
  roomtone-schedules expand --rule '<RFC 5545 content lines>' --from <ISO> --to <ISO> [--limit N] [--gap skip|shift] [--tz <zone>]
  roomtone-schedules expand --cron '<expr>' --tz <IANA zone> --from <ISO> --to <ISO> [--limit N]

Prints the instants in [from, to) in order, one per line, as UTC (2026-03-29T07:00:00Z), and nothing else.
  --rule   DTSTART (with or without TZID), RRULE and optional EXDATE/RDATE lines, separated by newlines or the
           two characters \\n. A DTSTART without TZID is read in --tz (default UTC).
  --gap    skip (default): instances at nonexistent local times are ignored (RFC 5545 3.3.10);
           shift: they are read with the UTC offset from before the gap (02:30 becomes 03:30).
  --cron   5 fields (minute hour day month weekday) or 6 with seconds first; evaluated in --tz.
  --from, --to  ISO 8601 instants with Z or an offset.
  --limit  print at most N instants (0-${MAX_OCCURRENCES}).`;

/** Turns the two characters `\n` into newlines, so one shell argument can hold several content lines. */
export function contentLines(text: string): string {
  return text.replace(/\\r\\n|\\n/g, '\n');
}

function limitFlag(args: ParsedArgs): number | undefined {
  const text = args.values.get('limit');
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_OCCURRENCES) {
    throw new UsageError(`--limit must be a whole number from 0 to ${MAX_OCCURRENCES}, got "${text}"`);
  }
  return n;
}

/** `expand`: the instants of one rule in a window, one UTC instant per line. */
export function expandCommand(argv: readonly string[]): string[] {
  const args = parseArgs('expand', argv, {
    values: ['rule', 'cron', 'tz', 'from', 'to', 'limit', 'gap'],
    switches: [],
  });
  const ruleText = args.values.get('rule');
  const cronText = args.values.get('cron');
  if ((ruleText === undefined) === (cronText === undefined)) {
    throw new UsageError(
      ruleText === undefined
        ? "expand needs --rule '<content lines>' or --cron '<expr>' --tz <zone>"
        : 'expand takes --rule or --cron, not both',
    );
  }
  const from = instantFlag(args, 'from', 'expand');
  const to = instantFlag(args, 'to', 'expand');
  if (to < from) throw new UsageError('--to is before --from: swap them');
  const limit = limitFlag(args);
  let rule: Rule;
  let gap: 'skip' | 'shift' = 'skip';
  if (ruleText !== undefined) {
    const gapText = args.values.get('gap') ?? 'skip';
    if (gapText !== 'skip' && gapText !== 'shift') {
      throw new UsageError(`--gap must be skip or shift, got "${gapText}"`);
    }
    gap = gapText;
    const tz = args.values.get('tz') ?? 'UTC';
    assertZone(tz, '--tz');
    rule = parseRRule(contentLines(ruleText), { defaultTz: tz });
  } else {
    if (args.values.has('gap'))
      throw new UsageError('--gap applies to --rule only: cron follows Vixie cron at clock changes');
    const tz = required(args, 'tz', 'expand --cron', '<IANA zone> (e.g. --tz Europe/Berlin)');
    assertZone(tz, '--tz');
    rule = parseCron(cronText ?? '', tz);
  }
  const occurrences = expandRule(rule, from, to, { limit: limit ?? MAX_OCCURRENCES, gap });
  if (limit === undefined && occurrences.length >= MAX_OCCURRENCES) {
    throw new UsageError(
      `the window holds more than ${MAX_OCCURRENCES} instants; narrow --from/--to or pass --limit to print the first N`,
    );
  }
  return occurrences.map((o) => formatInstant(o.startMs));
}
