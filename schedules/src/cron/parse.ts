/**
 * Cron expressions: 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; names (JAN, MON);
 * lists, ranges, steps; `L`, `L-n`, `nW`, `LW` in day-of-month; `dL` (or `d#L`) and `d#n` in day-of-week; Sunday as
 * 0 or 7 (MON-SUN works); `?`
 * as `*` in the day fields; the nicknames @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.
 */
import { RuleError } from '../rules/errors';
import { assertZone } from '../time/zone';
import type { CronRule } from './model';

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldSpec {
  part: string;
  min: number;
  max: number;
  names?: string[];
  /** Offset added to a name's index (months are 1-based). */
  nameBase?: number;
}

const SECOND: FieldSpec = { part: 'cron second', min: 0, max: 59 };
const MINUTE: FieldSpec = { part: 'cron minute', min: 0, max: 59 };
const HOUR: FieldSpec = { part: 'cron hour', min: 0, max: 23 };
const DOM: FieldSpec = { part: 'cron day-of-month', min: 1, max: 31 };
const MONTH: FieldSpec = { part: 'cron month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 };
const DOW: FieldSpec = { part: 'cron day-of-week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 };

interface Field {
  text: string;
  position: number;
}

function bad(code: 'INVALID_SYNTAX' | 'INVALID_VALUE', spec: FieldSpec, position: number, what: string): never {
  throw new RuleError(code, `${spec.part}: ${what}`, { part: spec.part, position });
}

function value(spec: FieldSpec, text: string, position: number): number {
  const upper = text.toUpperCase();
  if (spec.names !== undefined) {
    const i = spec.names.indexOf(upper);
    if (i >= 0) return i + (spec.nameBase ?? 0);
  }
  if (!/^\d{1,2}$/.test(text)) {
    const names = spec.names === undefined ? '' : ` or a name (${spec.names.join(', ')})`;
    bad('INVALID_SYNTAX', spec, position, `"${text}" is not a number${names}`);
  }
  const n = parseInt(text, 10);
  if (n < spec.min || n > spec.max)
    bad('INVALID_VALUE', spec, position, `${n} is out of range (${spec.min}-${spec.max})`);
  return n;
}

/** Expands one list item (`*`, `a`, `a-b`, with optional `/step`) into `out`. */
function rangeItem(spec: FieldSpec, item: string, position: number, out: Set<number>): void {
  const slash = item.indexOf('/');
  const body = slash < 0 ? item : item.slice(0, slash);
  let step = 1;
  if (slash >= 0) {
    const s = item.slice(slash + 1);
    if (!/^\d{1,2}$/.test(s) || +s === 0) bad('INVALID_VALUE', spec, position + slash + 1, `step "${s}" must be 1-99`);
    step = +s;
  }
  let lo: number;
  let hi: number;
  if (body === '*' || body === '?') {
    lo = spec.min;
    hi = spec === DOW ? 6 : spec.max;
  } else {
    const dash = body.indexOf('-', 1);
    if (dash < 0) {
      lo = value(spec, body, position);
      // `a/step` runs from a to the field's end, as Vixie and croner read it.
      hi = slash >= 0 ? (spec === DOW ? 6 : spec.max) : lo;
    } else {
      lo = value(spec, body.slice(0, dash), position);
      hi = value(spec, body.slice(dash + 1), position + dash + 1);
      // MON-SUN: Sunday closes a weekday range as 7.
      if (spec === DOW && hi === 0 && lo > 0) hi = 7;
      if (hi < lo) bad('INVALID_VALUE', spec, position, `range ${body} runs backwards: write it as two ranges`);
    }
  }
  for (let v = lo; v <= hi; v += step) out.add(spec === DOW && v === 7 ? 0 : v);
}

function sorted(s: Set<number>): number[] {
  return [...s].sort((a, b) => a - b);
}

function splitItems(field: Field): Field[] {
  const out: Field[] = [];
  let pos = field.position;
  for (const text of field.text.split(',')) {
    out.push({ text, position: pos });
    pos += text.length + 1;
  }
  return out;
}

function simpleField(spec: FieldSpec, field: Field): number[] {
  const out = new Set<number>();
  for (const item of splitItems(field)) {
    if (item.text.length === 0) bad('INVALID_SYNTAX', spec, item.position, 'empty list item');
    if (item.text === '?' && spec !== DOM && spec !== DOW)
      bad('INVALID_SYNTAX', spec, item.position, '"?" is only for day fields');
    rangeItem(spec, item.text, item.position, out);
  }
  return sorted(out);
}

/** Parses a cron expression evaluated in `tz`. Throws RuleError naming the field and the offset of the bad item. */
export function parseCron(expr: string, tz: string): CronRule {
  assertZone(tz);
  if (typeof expr !== 'string' || expr.trim().length === 0) {
    throw new RuleError('MISSING_PART', 'the cron expression is empty: give 5 fields (minute hour day month weekday)', {
      part: 'cron',
    });
  }
  let text = expr;
  const trimmed = expr.trim();
  if (trimmed.startsWith('@')) {
    const nick = NICKNAMES[trimmed.toLowerCase()];
    if (nick === undefined) {
      throw new RuleError(
        'INVALID_SYNTAX',
        `unknown cron nickname "${trimmed}" (use ${Object.keys(NICKNAMES).join(', ')})`,
        {
          part: 'cron',
          position: expr.indexOf('@'),
        },
      );
    }
    text = nick;
  }
  const fields: Field[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) fields.push({ text: m[0], position: m.index });
  if (fields.length !== 5 && fields.length !== 6) {
    throw new RuleError(
      fields.length < 5 ? 'MISSING_PART' : 'INVALID_SYNTAX',
      `a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; found ${fields.length}`,
      { part: 'cron', position: fields[Math.min(fields.length, 6) - 1]?.position ?? 0 },
    );
  }
  const hasSeconds = fields.length === 6;
  const [sec, min, hour, dom, month, dow] = hasSeconds ? fields : [{ text: '0', position: -1 }, ...fields];
  const rule: CronRule = {
    kind: 'cron',
    tz,
    source: expr,
    hasSeconds,
    seconds: simpleField(SECOND, sec),
    minutes: simpleField(MINUTE, min),
    hours: simpleField(HOUR, hour),
    daysOfMonth: [],
    lastDayOffsets: [],
    nearestWeekdays: [],
    lastWeekdayOfMonth: false,
    months: simpleField(MONTH, month),
    daysOfWeek: [],
    nthDaysOfWeek: [],
    lastDaysOfWeek: [],
    domStar: dom.text.startsWith('*') || dom.text === '?',
    dowStar: dow.text.startsWith('*') || dow.text === '?',
    hourRepeats: hour.text.startsWith('*') || hour.text.includes('/'),
  };
  parseDayOfMonth(rule, dom);
  parseDayOfWeek(rule, dow);
  checkSatisfiable(rule, dom);
  return rule;
}

function parseDayOfMonth(rule: CronRule, field: Field): void {
  const plain = new Set<number>();
  const last = new Set<number>();
  const near = new Set<number>();
  for (const item of splitItems(field)) {
    const t = item.text.toUpperCase();
    if (t === 'L') last.add(0);
    else if (t === 'LW') rule.lastWeekdayOfMonth = true;
    else if (/^L-\d{1,2}$/.test(t)) {
      const n = +t.slice(2);
      if (n > 30) bad('INVALID_VALUE', DOM, item.position, `"${item.text}": at most L-30`);
      last.add(n);
    } else if (/^\d{1,2}W$/.test(t)) near.add(value(DOM, t.slice(0, -1), item.position));
    else if (t.length === 0) bad('INVALID_SYNTAX', DOM, item.position, 'empty list item');
    else if (/[LW#]/.test(t)) bad('INVALID_SYNTAX', DOM, item.position, `"${item.text}" is not L, L-n, nW or LW`);
    else rangeItem(DOM, item.text, item.position, plain);
  }
  rule.daysOfMonth = sorted(plain);
  rule.lastDayOffsets = sorted(last);
  rule.nearestWeekdays = sorted(near);
}

function parseDayOfWeek(rule: CronRule, field: Field): void {
  const plain = new Set<number>();
  const lastOf = new Set<number>();
  for (const item of splitItems(field)) {
    const t = item.text.toUpperCase();
    const lastHash = /^(\w+)#L$/.exec(t); // croner's spelling of dL
    if (lastHash !== null) {
      lastOf.add(value(DOW, lastHash[1], item.position) % 7);
      continue;
    }
    const hash = /^(\w+)#(\d)$/.exec(t);
    if (hash !== null) {
      const weekday = value(DOW, hash[1], item.position) % 7;
      const n = +hash[2];
      if (n < 1 || n > 5)
        bad('INVALID_VALUE', DOW, item.position + hash[1].length + 1, `"#${n}": a month has 1-5 of each weekday`);
      if (!rule.nthDaysOfWeek.some((e) => e.weekday === weekday && e.n === n)) rule.nthDaysOfWeek.push({ weekday, n });
    } else if (/^\w+L$/.test(t) && t !== 'L') {
      lastOf.add(value(DOW, t.slice(0, -1), item.position) % 7);
    } else if (t.length === 0) bad('INVALID_SYNTAX', DOW, item.position, 'empty list item');
    else if (/[L#W]/.test(t) && !DAY_NAMES.some((n) => t.includes(n))) {
      bad('INVALID_SYNTAX', DOW, item.position, `"${item.text}" is not a weekday, dL or d#n`);
    } else rangeItem(DOW, item.text, item.position, plain);
  }
  rule.daysOfWeek = sorted(plain);
  rule.lastDaysOfWeek = sorted(lastOf);
}

const MAX_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Refuses day-of-month/month combinations no year has (`0 0 30 2 *`), which would otherwise search forever. */
function checkSatisfiable(rule: CronRule, dom: Field): void {
  if (!rule.dowStar && !rule.domStar) return; // either day field may match (Vixie): weekdays always come round
  if (rule.domStar) return;
  const fits = rule.months.some(
    (m) =>
      rule.lastDayOffsets.some((n) => n < MAX_DAYS[m]) ||
      rule.lastWeekdayOfMonth ||
      rule.daysOfMonth.some((d) => d <= MAX_DAYS[m]) ||
      rule.nearestWeekdays.some((d) => d <= MAX_DAYS[m]),
  );
  if (!fits) {
    throw new RuleError('NEVER_MATCHES', `cron day-of-month "${dom.text}" never falls in the months given`, {
      part: DOM.part,
      position: dom.position,
    });
  }
}
