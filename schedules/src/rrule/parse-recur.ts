/** The RRULE value (RFC 5545 3.3.10 RECUR): parts, ranges, and the combinations the RFC forbids or no date meets. */
import { RuleError } from '../rules/errors';
import { MS_PER_DAY } from '../time/civil';
import type { ContentLine } from './content-lines';
import type { Frequency, Recurrence, WeekdayNum } from './model';
import { parseDateValue } from './date-value';

/** COUNT above this is refused: a million instances is beyond any programme and would make counting slow. */
export const MAX_COUNT = 1_000_000;
/** INTERVAL above this is refused as absurd (and would overflow period arithmetic far in the future). */
export const MAX_INTERVAL = 100_000;

const FREQS: Frequency[] = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

interface Part {
  name: string;
  value: string;
  position: number;
}

interface Context {
  dtstartMs: number;
  dateOnly: boolean;
  tz: string;
}

function fail(code: 'INVALID_SYNTAX' | 'INVALID_VALUE', p: Part, what: string): never {
  throw new RuleError(code, `RRULE ${p.name}: ${what}`, { part: p.name, position: p.position });
}

function intList(p: Part, min: number, max: number, allowNegative: boolean): number[] {
  const out = new Set<number>();
  for (const item of p.value.split(',')) {
    if (!/^[+-]?\d{1,6}$/.test(item)) fail('INVALID_SYNTAX', p, `"${item}" is not an integer`);
    const n = parseInt(item, 10);
    const abs = Math.abs(n);
    if ((n < 0 && !allowNegative) || abs < min || abs > max || (allowNegative && n === 0)) {
      const range = allowNegative ? `${min} to ${max} or -${max} to -${min}` : `${min} to ${max}`;
      fail('INVALID_VALUE', p, `${item} is out of range (${range})`);
    }
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

function positiveInt(p: Part, max: number): number {
  if (!/^\d{1,10}$/.test(p.value)) fail('INVALID_SYNTAX', p, `"${p.value}" is not a positive integer`);
  const n = parseInt(p.value, 10);
  if (n < 1 || n > max) fail('INVALID_VALUE', p, `${n} is out of range (1 to ${max})`);
  return n;
}

function weekdayList(p: Part): WeekdayNum[] {
  const seen = new Set<string>();
  const out: WeekdayNum[] = [];
  for (const item of p.value.split(',')) {
    const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item.toUpperCase());
    const weekday = m === null ? -1 : WEEKDAYS.indexOf(m[2]);
    if (m === null || weekday < 0) fail('INVALID_SYNTAX', p, `"${item}" is not a weekday such as MO, 1MO or -1FR`);
    const n = m[1] === undefined ? 0 : parseInt(m[1], 10);
    if (m[1] !== undefined && (n === 0 || Math.abs(n) > 53)) {
      fail('INVALID_VALUE', p, `the ordinal of "${item}" is out of range (1 to 53 or -53 to -1)`);
    }
    const key = `${n}${weekday}`;
    if (!seen.has(key)) out.push({ weekday, n });
    seen.add(key);
  }
  return out;
}

/** Splits `FREQ=WEEKLY;BYDAY=MO` into parts with their offsets. */
function splitParts(line: ContentLine): Part[] {
  const parts: Part[] = [];
  let pos = line.valuePosition;
  for (const chunk of line.value.split(';')) {
    const eq = chunk.indexOf('=');
    if (chunk.length === 0 || eq <= 0 || eq === chunk.length - 1) {
      throw new RuleError('INVALID_SYNTAX', `RRULE: "${chunk}" is not NAME=VALUE (e.g. FREQ=WEEKLY)`, {
        part: 'RRULE',
        position: pos,
      });
    }
    parts.push({ name: chunk.slice(0, eq).toUpperCase(), value: chunk.slice(eq + 1), position: pos });
    pos += chunk.length + 1;
  }
  return parts;
}

/** Parses and validates the value of an RRULE line against its DTSTART. */
export function parseRecurrence(line: ContentLine, ctx: Context): Recurrence {
  const parts = splitParts(line);
  const byName = new Map<string, Part>();
  for (const p of parts) {
    if (byName.has(p.name)) {
      throw new RuleError('CONFLICTING_PARTS', `RRULE ${p.name} is given twice`, {
        part: p.name,
        position: p.position,
      });
    }
    byName.set(p.name, p);
  }
  const freqPart = byName.get('FREQ');
  if (freqPart === undefined) {
    throw new RuleError('MISSING_PART', 'RRULE has no FREQ: add e.g. FREQ=WEEKLY', {
      part: 'FREQ',
      position: line.valuePosition,
    });
  }
  const freq = FREQS.find((f) => f === freqPart.value.toUpperCase());
  if (freq === undefined) fail('INVALID_VALUE', freqPart, `"${freqPart.value}" is not one of ${FREQS.join(', ')}`);

  const r: Recurrence = {
    freq,
    interval: 1,
    count: null,
    untilUtcMs: null,
    untilLocalMs: null,
    bySecond: [],
    byMinute: [],
    byHour: [],
    byDay: [],
    byMonthDay: [],
    byYearDay: [],
    byWeekNo: [],
    byMonth: [],
    bySetPos: [],
    wkst: 0,
  };
  for (const p of parts) {
    switch (p.name) {
      case 'FREQ':
        break;
      case 'INTERVAL':
        r.interval = positiveInt(p, MAX_INTERVAL);
        break;
      case 'COUNT':
        r.count = positiveInt(p, MAX_COUNT);
        break;
      case 'UNTIL': {
        const dv = parseDateValue(p.value, 'UNTIL', p.position);
        if (dv.utc) r.untilUtcMs = dv.ms;
        else if (dv.dateOnly) r.untilLocalMs = dv.ms + MS_PER_DAY - 1;
        else r.untilLocalMs = dv.ms;
        break;
      }
      case 'BYSECOND':
        // 60 is a leap second: no IANA zone in a JavaScript runtime has one, so it would never match.
        r.bySecond = intList(p, 0, 59, false);
        break;
      case 'BYMINUTE':
        r.byMinute = intList(p, 0, 59, false);
        break;
      case 'BYHOUR':
        r.byHour = intList(p, 0, 23, false);
        break;
      case 'BYDAY':
        r.byDay = weekdayList(p);
        break;
      case 'BYMONTHDAY':
        r.byMonthDay = intList(p, 1, 31, true);
        break;
      case 'BYYEARDAY':
        r.byYearDay = intList(p, 1, 366, true);
        break;
      case 'BYWEEKNO':
        r.byWeekNo = intList(p, 1, 53, true);
        break;
      case 'BYMONTH':
        r.byMonth = intList(p, 1, 12, false);
        break;
      case 'BYSETPOS':
        r.bySetPos = intList(p, 1, 366, true);
        break;
      case 'WKST': {
        const wd = WEEKDAYS.indexOf(p.value.toUpperCase());
        if (wd < 0) fail('INVALID_VALUE', p, `"${p.value}" is not a weekday (MO, TU, WE, TH, FR, SA, SU)`);
        r.wkst = wd;
        break;
      }
      case 'RSCALE':
      case 'SKIP':
        throw new RuleError('UNSUPPORTED', `RRULE ${p.name} (RFC 7529 calendars) is not supported`, {
          part: p.name,
          position: p.position,
        });
      default:
        if (!p.name.startsWith('X-')) fail('INVALID_SYNTAX', p, 'is not an RRULE part');
    }
  }
  checkCombinations(r, byName, ctx);
  return r;
}

function conflict(p: Part | undefined, message: string): never {
  throw new RuleError('CONFLICTING_PARTS', message, { part: p?.name ?? 'RRULE', position: p?.position });
}

function checkCombinations(r: Recurrence, parts: Map<string, Part>, ctx: Context): void {
  const f = r.freq;
  if (r.count !== null && (r.untilUtcMs !== null || r.untilLocalMs !== null)) {
    conflict(parts.get('UNTIL'), 'RRULE has both COUNT and UNTIL: RFC 5545 allows one of them');
  }
  if (r.byWeekNo.length > 0 && f !== 'YEARLY') conflict(parts.get('BYWEEKNO'), 'BYWEEKNO needs FREQ=YEARLY');
  if (r.byYearDay.length > 0 && (f === 'DAILY' || f === 'WEEKLY' || f === 'MONTHLY')) {
    conflict(parts.get('BYYEARDAY'), `BYYEARDAY cannot be used with FREQ=${f}`);
  }
  if (r.byMonthDay.length > 0 && f === 'WEEKLY')
    conflict(parts.get('BYMONTHDAY'), 'BYMONTHDAY cannot be used with FREQ=WEEKLY');
  if (r.byDay.some((d) => d.n !== 0)) {
    if (f !== 'MONTHLY' && f !== 'YEARLY') {
      conflict(parts.get('BYDAY'), `BYDAY with an ordinal (like 1MO) needs FREQ=MONTHLY or YEARLY, not ${f}`);
    }
    if (f === 'YEARLY' && r.byWeekNo.length > 0) {
      conflict(parts.get('BYDAY'), 'BYDAY with an ordinal (like 1MO) cannot be combined with BYWEEKNO');
    }
    if (f === 'MONTHLY' || r.byMonth.length > 0) {
      const bad = r.byDay.find((d) => Math.abs(d.n) > 5);
      if (bad !== undefined) {
        throw new RuleError(
          'NEVER_MATCHES',
          `BYDAY ${bad.n}${WEEKDAYS[bad.weekday]}: a month has at most 5 of a weekday`,
          {
            part: 'BYDAY',
            position: parts.get('BYDAY')?.position,
          },
        );
      }
    }
  }
  if (r.bySetPos.length > 0) {
    const others = ['BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH'];
    if (!others.some((n) => parts.has(n)))
      conflict(parts.get('BYSETPOS'), 'BYSETPOS needs another BYxxx part to select from');
  }
  if (r.bySetPos.length > 0) {
    // The largest set one period can produce; a BYSETPOS beyond it selects nothing, ever.
    const times = (list: number[]) => Math.max(1, list.length);
    const perDay =
      f === 'SECONDLY'
        ? 1
        : f === 'MINUTELY'
          ? times(r.bySecond)
          : f === 'HOURLY'
            ? times(r.byMinute) * times(r.bySecond)
            : times(r.byHour) * times(r.byMinute) * times(r.bySecond);
    const days = f === 'YEARLY' ? 366 : f === 'MONTHLY' ? 31 : f === 'WEEKLY' ? 7 : 1;
    if (r.bySetPos.every((p) => Math.abs(p) > perDay * days)) {
      throw new RuleError('NEVER_MATCHES', `BYSETPOS selects past the ${perDay * days} instances a period can have`, {
        part: 'BYSETPOS',
        position: parts.get('BYSETPOS')?.position,
      });
    }
  }
  if (ctx.dateOnly && (r.byHour.length > 0 || r.byMinute.length > 0 || r.bySecond.length > 0 || isSubDaily(f))) {
    conflict(parts.get('FREQ'), 'a DATE DTSTART (whole days) cannot recur by hour, minute or second');
  }
  if (r.byMonth.length > 0 && r.byMonthDay.length > 0) {
    const fits = r.byMonth.some((m) =>
      r.byMonthDay.some((d) => Math.abs(d) <= (m === 2 ? 29 : [4, 6, 9, 11].includes(m) ? 30 : 31)),
    );
    if (!fits) {
      throw new RuleError(
        'NEVER_MATCHES',
        `no month in BYMONTH=${r.byMonth.join(',')} has day ${r.byMonthDay.join(',')}`,
        {
          part: 'BYMONTHDAY',
          position: parts.get('BYMONTHDAY')?.position,
        },
      );
    }
  }
}

export function isSubDaily(f: Frequency): boolean {
  return f === 'HOURLY' || f === 'MINUTELY' || f === 'SECONDLY';
}
