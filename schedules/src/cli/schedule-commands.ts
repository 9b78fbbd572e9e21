import { assertZone, parseCron, parseRRule } from '../rules';
import { clockChanges } from '../schedule/clock-changes';
import { conflicts } from '../schedule/conflicts';
import { expand } from '../schedule/expand';
import { resolve } from '../schedule/resolve';
import { UsageError, parseArgs } from './args';
import { contentLines } from './expand-command';
import { formatClockChanges, formatConflicts, formatPlan, formatResolution } from './format';
import { instantFlag, scheduleFlag } from './values';

export const SCHEDULE_HELP = `Usage:
  roomtone-schedules resolve --schedule <file.json> --at <ISO> [--json]
      what plays at that instant, and a trace of why (priorities, overrides, exceptions, clock changes)
  roomtone-schedules plan --schedule <file.json> --from <ISO> --to <ISO> [--json]
      the UTC intervals that play in the window (gaps are silence)
  roomtone-schedules conflicts --schedule <file.json> --from <ISO> --to <ISO> [--json]
      same-priority overlaps in the window
  roomtone-schedules clock-changes --schedule <file.json> --from <ISO> --to <ISO> [--json]
      the zone's clock changes in the window and what each does to each block
  roomtone-schedules validate --schedule <file.json> | --rule '<content lines>' [--tz <zone>] | --cron '<expr>' [--tz <zone>]
      checks the input; prints "valid: ..." or fails with the part that is wrong`;

const json = (value: unknown): string[] => [JSON.stringify(value, null, 2)];

/** `resolve`: the resolution at one instant, as text or JSON. */
export function resolveCommand(argv: readonly string[]): string[] {
  const args = parseArgs('resolve', argv, { values: ['schedule', 'at'], switches: ['json'] });
  const at = instantFlag(args, 'at', 'resolve');
  const schedule = scheduleFlag(args, 'resolve');
  const r = resolve(schedule, at);
  return args.switches.has('json') ? json(r) : formatResolution(r, schedule.zone);
}

/** `plan`: the intervals of a window, as text or JSON. */
export function planCommand(argv: readonly string[]): string[] {
  const args = parseArgs('plan', argv, { values: ['schedule', 'from', 'to'], switches: ['json'] });
  const from = instantFlag(args, 'from', 'plan');
  const to = instantFlag(args, 'to', 'plan');
  if (to <= from) throw new UsageError('--to must be after --from');
  const schedule = scheduleFlag(args, 'plan');
  const plan = expand(schedule, from, to);
  return args.switches.has('json') ? json(plan) : formatPlan(plan, schedule.zone, from, to);
}

/** `conflicts`: same-priority overlaps of a window. */
export function conflictsCommand(argv: readonly string[]): string[] {
  const args = parseArgs('conflicts', argv, { values: ['schedule', 'from', 'to'], switches: ['json'] });
  const from = instantFlag(args, 'from', 'conflicts');
  const to = instantFlag(args, 'to', 'conflicts');
  if (to <= from) throw new UsageError('--to must be after --from');
  const found = conflicts(scheduleFlag(args, 'conflicts'), from, to);
  return args.switches.has('json') ? json(found) : formatConflicts(found);
}

/** `clock-changes`: the clock changes of a window and their effect on each block. */
export function clockChangesCommand(argv: readonly string[]): string[] {
  const args = parseArgs('clock-changes', argv, { values: ['schedule', 'from', 'to'], switches: ['json'] });
  const from = instantFlag(args, 'from', 'clock-changes');
  const to = instantFlag(args, 'to', 'clock-changes');
  if (to <= from) throw new UsageError('--to must be after --from');
  const schedule = scheduleFlag(args, 'clock-changes');
  const changes = clockChanges(schedule, from, to);
  return args.switches.has('json') ? json(changes) : formatClockChanges(changes, schedule.zone);
}

/** `validate`: a rule, a cron expression or a schedule file. */
export function validateCommand(argv: readonly string[]): string[] {
  const args = parseArgs('validate', argv, { values: ['schedule', 'rule', 'cron', 'tz'], switches: [] });
  const given = ['schedule', 'rule', 'cron'].filter((f) => args.values.has(f));
  if (given.length !== 1) {
    throw new UsageError(
      "validate needs exactly one of --schedule <file.json>, --rule '<content lines>', --cron '<expr>'",
    );
  }
  const tz = args.values.get('tz');
  if (args.values.has('schedule')) {
    if (tz !== undefined) throw new UsageError('--tz does not apply to --schedule: the schedule names its own zone');
    const s = scheduleFlag(args, 'validate');
    return [
      `valid: schedule in ${s.zone} with ${s.blocks.length} block(s), ${s.overrides.length} override(s), ` +
        `${s.exceptions.length} exception(s)`,
    ];
  }
  if (tz !== undefined) assertZone(tz, '--tz');
  const rule = args.values.get('rule');
  if (rule !== undefined) {
    parseRRule(contentLines(rule), { defaultTz: tz ?? 'UTC' });
    return ['valid: RFC 5545 rule'];
  }
  parseCron(args.values.get('cron') ?? '', tz ?? 'UTC');
  return [`valid: cron expression in ${tz ?? 'UTC'}`];
}
