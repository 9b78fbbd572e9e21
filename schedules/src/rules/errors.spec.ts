/** Every refusal is a typed RuleError naming the part and its offset; nothing expands without bound. */
import { expandRule, MAX_OCCURRENCES, nextOccurrence, parseCron, parseRRule, parseRule, RuleError } from './index';

function errorOf(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a RuleError');
}

const DT = 'DTSTART;TZID=Europe/Berlin:20260105T090000\n';

describe('RRULE refusals', () => {
  it.each([
    ['', 'MISSING_PART', 'rule', undefined],
    ['RRULE:FREQ=DAILY', 'MISSING_PART', 'DTSTART', undefined],
    ['DTSTART:2026010T090000\nRRULE:FREQ=DAILY', 'INVALID_SYNTAX', 'DTSTART', 8],
    ['DTSTART:20260230T090000\nRRULE:FREQ=DAILY', 'INVALID_VALUE', 'DTSTART', 8],
    ['DTSTART;TZID=Mars/Base:20260101T090000', 'UNKNOWN_ZONE', 'DTSTART TZID', undefined],
    ['DTSTART;TZID=Europe/Berlin:20260101T090000Z', 'CONFLICTING_PARTS', 'DTSTART', 0],
    [`${DT}RRULE:FREQ=DAILY;BYHOUR=24`, 'INVALID_VALUE', 'BYHOUR', DT.length + 17],
    [`${DT}RRULE:FREQ=FORTNIGHTLY`, 'INVALID_VALUE', 'FREQ', DT.length + 6],
    [`${DT}RRULE:INTERVAL=2`, 'MISSING_PART', 'FREQ', DT.length + 6],
    [`${DT}RRULE:FREQ=DAILY;FREQ=WEEKLY`, 'CONFLICTING_PARTS', 'FREQ', DT.length + 17],
    [`${DT}RRULE:FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z`, 'CONFLICTING_PARTS', 'UNTIL', DT.length + 25],
    [`${DT}RRULE:FREQ=WEEKLY;BYMONTHDAY=1`, 'CONFLICTING_PARTS', 'BYMONTHDAY', DT.length + 18],
    [`${DT}RRULE:FREQ=WEEKLY;BYDAY=1MO`, 'CONFLICTING_PARTS', 'BYDAY', DT.length + 18],
    [`${DT}RRULE:FREQ=DAILY;BYWEEKNO=3`, 'CONFLICTING_PARTS', 'BYWEEKNO', DT.length + 17],
    [`${DT}RRULE:FREQ=MONTHLY;BYYEARDAY=3`, 'CONFLICTING_PARTS', 'BYYEARDAY', DT.length + 19],
    [`${DT}RRULE:FREQ=DAILY;BYSETPOS=1`, 'CONFLICTING_PARTS', 'BYSETPOS', DT.length + 17],
    [`${DT}RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`, 'NEVER_MATCHES', 'BYMONTHDAY', DT.length + 28],
    [`${DT}RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30,31`, 'NEVER_MATCHES', 'BYMONTHDAY', DT.length + 30],
    [`${DT}RRULE:FREQ=MONTHLY;BYDAY=6MO`, 'NEVER_MATCHES', 'BYDAY', DT.length + 19],
    [`${DT}RRULE:FREQ=DAILY;BYHOUR=9,10;BYSETPOS=3`, 'NEVER_MATCHES', 'BYSETPOS', DT.length + 29],
    [`${DT}RRULE:FREQ=DAILY;COUNT=1000000000`, 'INVALID_VALUE', 'COUNT', DT.length + 17],
    [`${DT}RRULE:FREQ=DAILY;BYFOO=1`, 'INVALID_SYNTAX', 'BYFOO', DT.length + 17],
    [`${DT}RRULE:FREQ=DAILY;BYDAY=XX`, 'INVALID_SYNTAX', 'BYDAY', DT.length + 17],
    [`${DT}RRULE:FREQ=DAILY;BYMINUTE=5,,6`, 'INVALID_SYNTAX', 'BYMINUTE', DT.length + 17],
    [`${DT}RRULE:FREQ=DAILY;`, 'INVALID_SYNTAX', 'RRULE', DT.length + 17],
    [`${DT}RRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY`, 'UNSUPPORTED', 'RRULE', DT.length + 17],
    [`${DT}RDATE;VALUE=PERIOD:20260101T090000Z/PT1H`, 'UNSUPPORTED', 'RDATE', DT.length],
    [`${DT}EXRULE:FREQ=DAILY`, 'UNSUPPORTED', 'EXRULE', DT.length],
    [`${DT}SUMMARY:hello`, 'INVALID_SYNTAX', 'SUMMARY', DT.length],
    [`${DT}EXDATE:20260107T09000`, 'INVALID_SYNTAX', 'EXDATE', DT.length + 7],
  ])('%j -> %s at %s', (text, code, part, position) => {
    const e = errorOf(() => parseRRule(text));
    expect({ code: e.code, part: e.location.part, position: e.location.position }).toEqual({ code, part, position });
    expect(e.message.length).toBeGreaterThan(10);
  });

  it('positions count from the original text when lines are separated by the two characters \\n', () => {
    const text = 'DTSTART:20260105T090000Z\\nRRULE:FREQ=DAILY;BYHOUR=99';
    const e = errorOf(() => parseRRule(text));
    expect(e.location).toEqual({ part: 'BYHOUR', position: text.indexOf('BYHOUR') });
  });
});

describe('cron refusals', () => {
  it.each([
    ['61 * * * *', 'INVALID_VALUE', 'cron minute', 0],
    ['* 25 * * *', 'INVALID_VALUE', 'cron hour', 2],
    ['0 0 30 2 *', 'NEVER_MATCHES', 'cron day-of-month', 4],
    ['0 0 31 4,6 *', 'NEVER_MATCHES', 'cron day-of-month', 4],
    ['0 0 * * 8', 'INVALID_VALUE', 'cron day-of-week', 8],
    ['0 0 * FOO *', 'INVALID_SYNTAX', 'cron month', 6],
    ['0 0 * * 1#6', 'INVALID_VALUE', 'cron day-of-week', 10],
    ['0 0 * * 1,,2', 'INVALID_SYNTAX', 'cron day-of-week', 10],
    ['5-1 * * * *', 'INVALID_VALUE', 'cron minute', 0],
    ['*/0 * * * *', 'INVALID_VALUE', 'cron minute', 2],
    ['0 0 L-31 * *', 'INVALID_VALUE', 'cron day-of-month', 4],
    ['0 0 32W * *', 'INVALID_VALUE', 'cron day-of-month', 4],
    ['0 ? * * *', 'INVALID_SYNTAX', 'cron hour', 2],
    ['* * *', 'MISSING_PART', 'cron', 4],
    ['1 2 3 4 5 6 7', 'INVALID_SYNTAX', 'cron', 10],
    ['@fortnightly', 'INVALID_SYNTAX', 'cron', 0],
    ['', 'MISSING_PART', 'cron', undefined],
  ])('%j -> %s at %s:%s', (expr, code, part, position) => {
    const e = errorOf(() => parseCron(expr, 'UTC'));
    expect({ code: e.code, part: e.location.part, position: e.location.position }).toEqual({ code, part, position });
  });

  it('an unknown zone is UNKNOWN_ZONE', () => {
    expect(errorOf(() => parseCron('* * * * *', 'Nowhere/Zone')).code).toBe('UNKNOWN_ZONE');
    expect(errorOf(() => parseRule({ rrule: 'DTSTART:20260101T090000\nRRULE:FREQ=DAILY' }, 'Nowhere/Zone')).code).toBe(
      'UNKNOWN_ZONE',
    );
  });
});

describe('bounds: nothing expands without bound or hangs', () => {
  const year2026 = [Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z')] as const;

  it('FREQ=SECONDLY over a year stops at MAX_OCCURRENCES', () => {
    const rule = parseRRule('DTSTART:20260101T000000Z\nRRULE:FREQ=SECONDLY');
    const out = expandRule(rule, ...year2026);
    expect(out).toHaveLength(MAX_OCCURRENCES);
    expect(out[MAX_OCCURRENCES - 1].startMs).toBe(Date.parse('2026-01-02T03:46:39Z'));
  });

  it('the limit option bounds further and cannot exceed MAX_OCCURRENCES', () => {
    const rule = parseRRule('DTSTART:20260101T000000Z\nRRULE:FREQ=MINUTELY');
    expect(expandRule(rule, ...year2026, { limit: 5 })).toHaveLength(5);
    expect(expandRule(rule, ...year2026, { limit: 10 ** 9 })).toHaveLength(MAX_OCCURRENCES);
  });

  it('COUNT far behind the window fails with TOO_EXPENSIVE instead of hanging', () => {
    // 1440 candidates a day, one kept (BYSETPOS): counting to the year 4000 would examine ~10^9 candidates.
    const minutes = Array.from({ length: 60 }, (_, i) => i).join(',');
    const hours = Array.from({ length: 24 }, (_, i) => i).join(',');
    const rule = parseRRule(
      `DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY;COUNT=1000000;BYHOUR=${hours};BYMINUTE=${minutes};BYSETPOS=1`,
    );
    const e = errorOf(() => expandRule(rule, Date.parse('4000-01-01T00:00:00Z'), Date.parse('4000-01-02T00:00:00Z')));
    expect(e.code).toBe('TOO_EXPENSIVE');
  });

  it('a window long after DTSTART without COUNT jumps ahead', () => {
    const rule = parseRRule(
      'DTSTART;TZID=Europe/Berlin:19700105T090000\nRRULE:FREQ=SECONDLY;BYHOUR=9;BYMINUTE=0;BYSECOND=0',
    );
    const out = expandRule(rule, Date.parse('9000-06-01T00:00:00Z'), Date.parse('9000-06-03T00:00:00Z'));
    expect(out.map((o) => new Date(o.startMs).toISOString())).toEqual([
      '9000-06-01T07:00:00.000Z',
      '9000-06-02T07:00:00.000Z',
    ]);
  });

  it('a rule that rarely matches: 29 February on a Monday', () => {
    const rule = parseRRule('DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO');
    expect(new Date(nextOccurrence(rule, Date.parse('2026-01-02T00:00:00Z'))!.startMs).toISOString()).toBe(
      '2044-02-29T09:00:00.000Z',
    );
  });

  it('a combination no date meets, not refused at parse, ends after one 400-year calendar cycle', () => {
    for (const part of [
      'FREQ=YEARLY;BYYEARDAY=7;BYMONTHDAY=6',
      'FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=1MO',
      'FREQ=HOURLY;BYYEARDAY=60;BYMONTH=1',
    ]) {
      const rule = parseRRule(`DTSTART:20260101T090000Z\nRRULE:${part}`);
      expect(nextOccurrence(rule, Date.parse('2026-01-02T00:00:00Z'))).toBeNull();
    }
  });

  it('windows: from after to, or not finite, is INVALID_WINDOW', () => {
    const rule = parseCron('* * * * *', 'UTC');
    expect(errorOf(() => expandRule(rule, 10, 5)).code).toBe('INVALID_WINDOW');
    expect(errorOf(() => expandRule(rule, NaN, 5)).code).toBe('INVALID_WINDOW');
    expect(errorOf(() => expandRule(rule, 0, 5, { limit: -1 })).code).toBe('INVALID_WINDOW');
  });
});

describe('independence from the process time zone', () => {
  it('gives the same instants whatever process.env.TZ says', () => {
    const rule = parseRRule('DTSTART;TZID=Europe/Berlin:20260101T023000\nRRULE:FREQ=DAILY');
    const cron = parseCron('30 2 * * *', 'America/New_York');
    const window = [Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-04-01T00:00:00Z')] as const;
    const saved = process.env.TZ;
    const results: string[] = [];
    try {
      for (const tz of ['UTC', 'Pacific/Auckland', 'America/Santiago', 'Asia/Kolkata']) {
        process.env.TZ = tz;
        results.push(JSON.stringify([expandRule(rule, ...window, { gap: 'shift' }), expandRule(cron, ...window)]));
      }
    } finally {
      process.env.TZ = saved;
    }
    expect(new Set(results).size).toBe(1);
  });
});
