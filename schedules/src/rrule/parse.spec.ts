/** Content lines, DTSTART forms, UNTIL forms, RDATE and EXDATE. */
import { expandRule, formatUtc, parseRRule, parseRule } from '../rules';

const ALL = [Date.parse('2020-01-01T00:00:00Z'), Date.parse('2030-01-01T00:00:00Z')] as const;
const list = (text: string, tz?: string): string[] =>
  expandRule(parseRRule(text, { defaultTz: tz }), ...ALL).map((o) => formatUtc(o.startMs));

describe('content lines', () => {
  const expected = ['2026-01-05T08:00:00Z', '2026-01-06T08:00:00Z'];
  it.each([
    ['real newlines', 'DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=DAILY;COUNT=2'],
    ['CRLF', 'DTSTART;TZID=Europe/Berlin:20260105T090000\r\nRRULE:FREQ=DAILY;COUNT=2\r\n'],
    ['the two characters \\n', 'DTSTART;TZID=Europe/Berlin:20260105T090000\\nRRULE:FREQ=DAILY;COUNT=2'],
    ['a folded line', 'DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=DAILY;\n COUNT=2'],
    ['lower case names and a quoted TZID', 'dtstart;tzid="Europe/Berlin":20260105T090000\nrrule:freq=daily;count=2'],
    ['a bare FREQ line', 'DTSTART;TZID=Europe/Berlin:20260105T090000\nFREQ=DAILY;COUNT=2'],
    ['surrounding blank lines', '\n  DTSTART;TZID=Europe/Berlin:20260105T090000\n\nRRULE:FREQ=DAILY;COUNT=2\n'],
  ])('%s', (_name, text) => {
    expect(list(text)).toEqual(expected);
  });
});

describe('DTSTART forms', () => {
  it('a Z value evaluates the rule in UTC', () => {
    const rule = parseRRule('DTSTART:20260329T013000Z\nRRULE:FREQ=DAILY;COUNT=2', { defaultTz: 'Europe/Berlin' });
    expect(rule.tz).toBe('UTC');
    expect(expandRule(rule, ...ALL).map((o) => formatUtc(o.startMs))).toEqual([
      '2026-03-29T01:30:00Z',
      '2026-03-30T01:30:00Z',
    ]);
  });
  it('a floating value is read in the default zone (the venue), else UTC', () => {
    expect(list('DTSTART:20260105T090000\nRRULE:FREQ=DAILY;COUNT=1', 'Asia/Kolkata')).toEqual(['2026-01-05T03:30:00Z']);
    expect(list('DTSTART:20260105T090000\nRRULE:FREQ=DAILY;COUNT=1')).toEqual(['2026-01-05T09:00:00Z']);
    expect(parseRule({ rrule: 'DTSTART:20260105T090000\nRRULE:FREQ=DAILY' }, 'America/New_York').tz).toBe(
      'America/New_York',
    );
  });
  it('a TZID beats the default zone', () => {
    expect(list('DTSTART;TZID=America/New_York:20260105T090000\nRRULE:FREQ=DAILY;COUNT=1', 'Asia/Kolkata')).toEqual([
      '2026-01-05T14:00:00Z',
    ]);
  });
  it('DTSTART alone is one instance', () => {
    expect(list('DTSTART;TZID=Europe/Berlin:20260105T090000')).toEqual(['2026-01-05T08:00:00Z']);
  });
  it('a DATE rule gives whole days starting at local midnight', () => {
    const out = expandRule(
      parseRRule('DTSTART;VALUE=DATE:20260328\nRRULE:FREQ=DAILY;COUNT=3', { defaultTz: 'Europe/Berlin' }),
      ...ALL,
    );
    expect(out.map((o) => formatUtc(o.startMs))).toEqual([
      '2026-03-27T23:00:00Z',
      '2026-03-28T23:00:00Z',
      '2026-03-29T22:00:00Z',
    ]);
    expect(out[1].local).toEqual({ year: 2026, month: 3, day: 29, hour: 0, minute: 0, second: 0 });
  });
});

describe('UNTIL forms', () => {
  it('a Z value is an instant, inclusive', () => {
    expect(list('DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=DAILY;UNTIL=20260107T080000Z')).toEqual([
      '2026-01-05T08:00:00Z',
      '2026-01-06T08:00:00Z',
      '2026-01-07T08:00:00Z',
    ]);
    expect(list('DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=DAILY;UNTIL=20260107T075959Z')).toEqual([
      '2026-01-05T08:00:00Z',
      '2026-01-06T08:00:00Z',
    ]);
  });
  it('a floating value is a wall-clock time in the rule zone, inclusive', () => {
    expect(list('DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=DAILY;UNTIL=20260107T090000')).toEqual([
      '2026-01-05T08:00:00Z',
      '2026-01-06T08:00:00Z',
      '2026-01-07T08:00:00Z',
    ]);
  });
  it('a DATE value includes that whole day', () => {
    expect(list('DTSTART;VALUE=DATE:20260105\nRRULE:FREQ=DAILY;UNTIL=20260107', 'UTC')).toEqual([
      '2026-01-05T00:00:00Z',
      '2026-01-06T00:00:00Z',
      '2026-01-07T00:00:00Z',
    ]);
  });
});

describe('RDATE and EXDATE', () => {
  const base = 'DTSTART;TZID=Europe/Berlin:20260105T090000\nRRULE:FREQ=DAILY;COUNT=3';
  it('EXDATE as a wall-clock time in the rule zone, as an instant, or as a whole day', () => {
    expect(list(`${base}\nEXDATE;TZID=Europe/Berlin:20260106T090000`)).toEqual([
      '2026-01-05T08:00:00Z',
      '2026-01-07T08:00:00Z',
    ]);
    expect(list(`${base}\nEXDATE:20260106T080000Z,20260107T080000Z`)).toEqual(['2026-01-05T08:00:00Z']);
    expect(list(`${base}\nEXDATE;VALUE=DATE:20260105`)).toEqual(['2026-01-06T08:00:00Z', '2026-01-07T08:00:00Z']);
    expect(list(`${base}\nEXDATE;TZID=America/New_York:20260106T030000`)).toEqual([
      '2026-01-05T08:00:00Z',
      '2026-01-07T08:00:00Z',
    ]);
  });
  it('EXDATE does not give back a COUNT slot (COUNT counts the rule, EXDATE removes afterwards)', () => {
    expect(list(`${base}\nEXDATE;TZID=Europe/Berlin:20260105T090000`)).toEqual([
      '2026-01-06T08:00:00Z',
      '2026-01-07T08:00:00Z',
    ]);
  });
  it('RDATE adds instances outside COUNT, merges in order, de-duplicates, and EXDATE removes them too', () => {
    expect(list(`${base}\nRDATE;TZID=Europe/Berlin:20260110T120000,20260106T090000\nRDATE:20260104T000000Z`)).toEqual([
      '2026-01-04T00:00:00Z',
      '2026-01-05T08:00:00Z',
      '2026-01-06T08:00:00Z',
      '2026-01-07T08:00:00Z',
      '2026-01-10T11:00:00Z',
    ]);
    expect(list(`${base}\nRDATE;TZID=Europe/Berlin:20260110T120000\nEXDATE:20260110T110000Z`)).toHaveLength(3);
  });
  it('an RDATE in a gap is read as RFC 5545 3.3.5 reads DTSTART', () => {
    expect(list('DTSTART;TZID=Europe/Berlin:20260105T090000\nRDATE;TZID=Europe/Berlin:20260329T023000')).toEqual([
      '2026-01-05T08:00:00Z',
      '2026-03-29T01:30:00Z',
    ]);
  });
});

describe('gap mode keep', () => {
  it('keeps distinct wall times that meet at the transition, in wall-clock order', () => {
    const rule = parseRRule('DTSTART;TZID=Europe/Berlin:20260329T013000\nRRULE:FREQ=MINUTELY;INTERVAL=30;COUNT=5');
    const out = expandRule(rule, ...ALL, { gap: 'keep' });
    expect(out.map((o) => `${formatUtc(o.startMs)} ${o.local.hour}:${o.local.minute} ${o.inGap}`)).toEqual([
      '2026-03-29T00:30:00Z 1:30 false',
      '2026-03-29T01:00:00Z 2:0 true',
      '2026-03-29T01:00:00Z 2:30 true',
      '2026-03-29T01:00:00Z 3:0 false',
      '2026-03-29T01:30:00Z 3:30 false',
    ]);
  });
});
