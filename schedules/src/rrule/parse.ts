/**
 * Parsing RFC 5545 recurrence text (DTSTART, RRULE, RDATE, EXDATE content lines) into a validated {@link RRule}.
 * Every refusal is a RuleError naming the part and the offset in the original text.
 */
import { RuleError } from '../rules/errors';
import { MS_PER_DAY, msToLocal } from '../time/civil';
import { assertZone, GAP, localMsToUtc3305, resolved, resolveLocalMs, utcToLocalMs } from '../time/zone';
import { parseContentLines, type ContentLine } from './content-lines';
import type { RDateEntry, RRule } from './model';
import { parseDateValue, type DateValue } from './date-value';
import { parseRecurrence } from './parse-recur';

/** Options of {@link parseRRule}. */
export interface ParseRRuleOptions {
  /** Zone of a floating DTSTART (no TZID, no Z); UTC when absent. */
  defaultTz?: string;
}

function zoneParam(line: ContentLine): string | null {
  const tz = line.params.get('TZID');
  if (tz === undefined) return null;
  assertZone(tz, `${line.name} TZID`);
  return tz;
}

function checkValueParam(line: ContentLine, dateOnly: boolean): void {
  const v = line.params.get('VALUE')?.toUpperCase();
  if (v === undefined) return;
  if (v === 'PERIOD') {
    throw new RuleError('UNSUPPORTED', `${line.name};VALUE=PERIOD is not supported: give start date-times instead`, {
      part: line.name,
      position: line.position,
    });
  }
  if ((v === 'DATE') !== dateOnly || (v !== 'DATE' && v !== 'DATE-TIME')) {
    throw new RuleError('INVALID_VALUE', `${line.name}: VALUE=${v} does not match the value "${line.value}"`, {
      part: line.name,
      position: line.position,
    });
  }
}

/** Comma-separated values of a line with the offset of each. */
function listValues(line: ContentLine): Array<{ text: string; position: number }> {
  const out: Array<{ text: string; position: number }> = [];
  let pos = line.valuePosition;
  for (const text of line.value.split(',')) {
    out.push({ text, position: pos });
    pos += text.length + 1;
  }
  return out;
}

/**
 * Parses RFC 5545 content lines: exactly one DTSTART (`DTSTART;TZID=Europe/Berlin:20260105T090000`, `...Z`, a
 * floating value in `opts.defaultTz`, or a DATE), at most one RRULE, and any RDATE/EXDATE lines. Lines are separated
 * by real newlines or the two characters `\n`. A line that is just `FREQ=...` is read as an RRULE.
 */
export function parseRRule(text: string, opts: ParseRRuleOptions = {}): RRule {
  if (typeof text !== 'string' || text.trim().length === 0) {
    throw new RuleError('MISSING_PART', 'the rule is empty: give a DTSTART line and an RRULE line', { part: 'rule' });
  }
  if (text.length > 20_000) {
    throw new RuleError('INVALID_VALUE', 'the rule text is longer than 20000 characters', { part: 'rule' });
  }
  const lines = parseContentLines(
    text.replace(/^\s*(FREQ=)/i, 'RRULE:$1').replace(/(\\n|\n)\s*(FREQ=)/gi, '$1RRULE:$2'),
  );
  const dtLines = lines.filter((l) => l.name === 'DTSTART');
  const ruleLines = lines.filter((l) => l.name === 'RRULE');
  for (const l of lines) {
    if (!['DTSTART', 'RRULE', 'RDATE', 'EXDATE'].includes(l.name)) {
      const unsupported = l.name === 'EXRULE' || l.name === 'DTEND' || l.name === 'DURATION';
      throw new RuleError(
        unsupported ? 'UNSUPPORTED' : 'INVALID_SYNTAX',
        `${l.name} lines are not accepted here: give DTSTART, RRULE, RDATE and EXDATE lines only`,
        { part: l.name, position: l.position },
      );
    }
  }
  if (dtLines.length === 0) {
    throw new RuleError(
      'MISSING_PART',
      'DTSTART is missing: add a line such as DTSTART;TZID=Europe/Berlin:20260105T090000',
      {
        part: 'DTSTART',
      },
    );
  }
  if (dtLines.length > 1) {
    throw new RuleError('CONFLICTING_PARTS', 'DTSTART is given more than once', {
      part: 'DTSTART',
      position: dtLines[1].position,
    });
  }
  if (ruleLines.length > 1) {
    throw new RuleError('UNSUPPORTED', 'only one RRULE line is supported: make a second rule for the other pattern', {
      part: 'RRULE',
      position: ruleLines[1].position,
    });
  }
  const dtLine = dtLines[0];
  const dt = parseDateValue(dtLine.value.trim(), 'DTSTART', dtLine.valuePosition);
  checkValueParam(dtLine, dt.dateOnly);
  const tzid = zoneParam(dtLine);
  if (tzid !== null && dt.utc) {
    throw new RuleError('CONFLICTING_PARTS', 'DTSTART has both TZID and a UTC "Z" value: keep one', {
      part: 'DTSTART',
      position: dtLine.position,
    });
  }
  let tz: string;
  if (dt.utc) tz = 'UTC';
  else if (tzid !== null) tz = tzid;
  else {
    tz = opts.defaultTz ?? 'UTC';
    assertZone(tz);
  }

  const recurrence =
    ruleLines.length === 1 ? parseRecurrence(ruleLines[0], { dtstartMs: dt.ms, dateOnly: dt.dateOnly, tz }) : null;

  const rule: RRule = {
    kind: 'rrule',
    tz,
    source: text,
    dtstart: msToLocal(dt.ms),
    dtstartLocalMs: dt.ms,
    dateOnly: dt.dateOnly,
    recurrence,
    rdates: [],
    exdateLocalMs: [],
    exdateUtcMs: [],
    exdateDays: [],
  };
  for (const line of lines) {
    if (line.name !== 'RDATE' && line.name !== 'EXDATE') continue;
    const lineTz = zoneParam(line);
    if (line.params.get('VALUE')?.toUpperCase() === 'PERIOD') checkValueParam(line, false);
    for (const v of listValues(line)) {
      const dv = parseDateValue(v.text.trim(), line.name, v.position);
      checkValueParam(line, dv.dateOnly);
      if (line.name === 'EXDATE') addExdate(rule, dv, lineTz);
      else rule.rdates.push(rdateEntry(rule, dv, lineTz));
    }
  }
  rule.rdates.sort((a, b) => a.startMs - b.startMs);
  return rule;
}

function addExdate(rule: RRule, dv: DateValue, lineTz: string | null): void {
  if (dv.dateOnly) rule.exdateDays.push(Math.floor(dv.ms / MS_PER_DAY));
  else if (dv.utc) rule.exdateUtcMs.push(dv.ms);
  else if (lineTz === null || lineTz === rule.tz) rule.exdateLocalMs.push(dv.ms);
  else rule.exdateUtcMs.push(localMsToUtc3305(dv.ms, lineTz));
}

function rdateEntry(rule: RRule, dv: DateValue, lineTz: string | null): RDateEntry {
  if (dv.utc) {
    return { startMs: dv.ms, localMs: dv.ms + utcOffset(rule.tz, dv.ms), inGap: false };
  }
  const tz = lineTz ?? rule.tz;
  if (tz !== rule.tz) {
    const startMs = localMsToUtc3305(dv.ms, tz);
    return { startMs, localMs: startMs + utcOffset(rule.tz, startMs), inGap: false };
  }
  // An explicit date is read as RFC 5545 3.3.5 reads DTSTART: a skipped wall time moves forward by the gap.
  const kind = resolveLocalMs(dv.ms, tz);
  return { startMs: kind === GAP ? resolved.b : resolved.a, localMs: dv.ms, inGap: kind === GAP };
}

function utcOffset(tz: string, utcMs: number): number {
  return utcToLocalMs(utcMs, tz) - utcMs;
}
