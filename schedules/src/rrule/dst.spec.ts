/** RRULE across daylight-saving changes: RFC 5545 3.3.10 (gap instances ignored) and 3.3.5 (first occurrence). */
import { expandRule, formatUtc, nextOccurrence, parseRRule, type RRuleGapMode } from '../rules';

function run(text: string, from: string, to: string, gap: RRuleGapMode = 'skip'): string[] {
  return expandRule(parseRRule(text), Date.parse(from), Date.parse(to), { gap }).map(
    (o) => formatUtc(o.startMs) + (o.inGap ? ' gap' : ''),
  );
}

describe('RRULE in Europe/Berlin', () => {
  const daily0230 = 'DTSTART;TZID=Europe/Berlin:20260101T023000\nRRULE:FREQ=DAILY';
  it('spring-forward 02:30 is ignored by default (RFC 5545 3.3.10)', () => {
    expect(run(daily0230, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00Z',
      '2026-03-30T00:30:00Z',
    ]);
  });
  it('spring-forward 02:30 with --gap shift becomes 03:30 CEST', () => {
    expect(run(daily0230, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z', 'shift')).toEqual([
      '2026-03-28T01:30:00Z',
      '2026-03-29T01:30:00Z gap',
      '2026-03-30T00:30:00Z',
    ]);
  });
  it('spring-forward 02:30 with gap keep is reported at the transition', () => {
    const out = expandRule(
      parseRRule(daily0230),
      Date.parse('2026-03-29T00:00:00Z'),
      Date.parse('2026-03-30T00:00:00Z'),
      {
        gap: 'keep',
      },
    );
    expect(out).toEqual([
      {
        startMs: Date.parse('2026-03-29T01:00:00Z'),
        local: { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 },
        inGap: true,
      },
    ]);
  });
  it('fall-back 02:30 means its first occurrence (RFC 5545 3.3.5)', () => {
    expect(run(daily0230, '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
      '2026-10-24T00:30:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00Z',
    ]);
  });
  it('FREQ=HOURLY names the repeated hour once (first occurrence) and skips the missing one', () => {
    const hourly = 'DTSTART;TZID=Europe/Berlin:20260101T000000\nRRULE:FREQ=HOURLY';
    expect(run(hourly, '2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z')).toEqual([
      '2026-10-24T23:00:00Z',
      '2026-10-25T00:00:00Z',
      '2026-10-25T02:00:00Z',
    ]);
    expect(run(hourly, '2026-03-28T23:00:00Z', '2026-03-29T02:00:00Z')).toEqual([
      '2026-03-28T23:00:00Z',
      '2026-03-29T00:00:00Z',
      '2026-03-29T01:00:00Z',
    ]);
  });
  it('DTSTART in the gap is read as 3.3.5 says (shifted) and is the first instance', () => {
    expect(
      run(
        'DTSTART;TZID=Europe/Berlin:20260329T023000\nRRULE:FREQ=DAILY;COUNT=3',
        '2026-01-01T00:00:00Z',
        '2027-01-01T00:00:00Z',
      ),
    ).toEqual(['2026-03-29T01:30:00Z gap', '2026-03-30T00:30:00Z', '2026-03-31T00:30:00Z']);
  });
  it('DTSTART at a repeated time is its first occurrence', () => {
    expect(
      run(
        'DTSTART;TZID=Europe/Berlin:20261025T023000\nRRULE:FREQ=DAILY;COUNT=2',
        '2026-01-01T00:00:00Z',
        '2027-01-01T00:00:00Z',
      ),
    ).toEqual(['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']);
  });
  it('an instance ignored in the gap is not counted toward COUNT', () => {
    const text = 'DTSTART;TZID=Europe/Berlin:20260327T023000\nRRULE:FREQ=DAILY;COUNT=3';
    expect(run(text, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual([
      '2026-03-27T01:30:00Z',
      '2026-03-28T01:30:00Z',
      '2026-03-30T00:30:00Z',
    ]);
    expect(run(text, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 'shift')).toEqual([
      '2026-03-27T01:30:00Z',
      '2026-03-28T01:30:00Z',
      '2026-03-29T01:30:00Z gap',
    ]);
  });
  it('shift keeps instants ascending and de-duplicated when a shifted time lands on a real one', () => {
    const halfHourly = 'DTSTART;TZID=Europe/Berlin:20260329T013000\nRRULE:FREQ=MINUTELY;INTERVAL=30;COUNT=6';
    expect(run(halfHourly, '2026-03-29T00:00:00Z', '2026-03-29T03:00:00Z', 'shift')).toEqual([
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-29T01:30:00Z',
      '2026-03-29T02:00:00Z',
    ]);
  });
});

describe('RRULE in America/New_York', () => {
  it('02:30 on the spring-forward day is ignored; 01:30 on the fall-back day is EDT', () => {
    const text = 'DTSTART;TZID=America/New_York:20260301T023000\nRRULE:FREQ=DAILY';
    expect(run(text, '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual([
      '2026-03-07T07:30:00Z',
      '2026-03-09T06:30:00Z',
    ]);
    const fall = 'DTSTART;TZID=America/New_York:20261030T013000\nRRULE:FREQ=DAILY';
    expect(run(fall, '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual([
      '2026-10-31T05:30:00Z',
      '2026-11-01T05:30:00Z',
      '2026-11-02T06:30:00Z',
    ]);
  });
});

describe('RRULE in Australia/Lord_Howe (30-minute shift)', () => {
  const daily0215 = 'DTSTART;TZID=Australia/Lord_Howe:20260901T021500\nRRULE:FREQ=DAILY';
  it('02:15 on 4 October 2026 does not exist (02:00 -> 02:30)', () => {
    expect(run(daily0215, '2026-10-02T00:00:00Z', '2026-10-05T00:00:00Z')).toEqual([
      '2026-10-02T15:45:00Z',
      '2026-10-04T15:15:00Z',
    ]);
    expect(run(daily0215, '2026-10-03T00:00:00Z', '2026-10-04T00:00:00Z', 'shift')).toEqual([
      '2026-10-03T15:45:00Z gap',
    ]);
    expect(run(daily0215, '2026-10-03T00:00:00Z', '2026-10-04T00:00:00Z', 'keep')).toEqual([
      '2026-10-03T15:30:00Z gap',
    ]);
  });
  it('01:45 on 5 April 2026 happens twice: the first (+11:00) is taken', () => {
    const text = 'DTSTART;TZID=Australia/Lord_Howe:20260401T014500\nRRULE:FREQ=DAILY';
    expect(run(text, '2026-04-03T00:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
      '2026-04-03T14:45:00Z',
      '2026-04-04T14:45:00Z',
      '2026-04-05T15:15:00Z',
    ]);
  });
});

describe('RRULE in Asia/Kolkata (no DST, +05:30)', () => {
  it('02:30 exists every day, including Europe and America change days', () => {
    const text = 'DTSTART;TZID=Asia/Kolkata:20260301T023000\nRRULE:FREQ=WEEKLY;BYDAY=SU';
    expect(run(text, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual([
      '2026-03-07T21:00:00Z',
      '2026-03-14T21:00:00Z',
      '2026-03-21T21:00:00Z',
      '2026-03-28T21:00:00Z',
    ]);
  });
});

describe('RRULE in Pacific/Auckland (southern hemisphere)', () => {
  const text = 'DTSTART;TZID=Pacific/Auckland:20260101T023000\nRRULE:FREQ=DAILY';
  it('spring-forward on 27 September 2026 swallows 02:30', () => {
    expect(run(text, '2026-09-25T00:00:00Z', '2026-09-28T00:00:00Z')).toEqual([
      '2026-09-25T14:30:00Z',
      '2026-09-27T13:30:00Z',
    ]);
  });
  it('fall-back on 5 April 2026 repeats 02:30: NZDT is taken', () => {
    expect(run(text, '2026-04-03T12:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
      '2026-04-03T13:30:00Z',
      '2026-04-04T13:30:00Z',
      '2026-04-05T14:30:00Z',
    ]);
  });
});

describe('RRULE in America/Santiago (midnight transitions)', () => {
  it('midnight on 6 September 2026 does not exist', () => {
    const text = 'DTSTART;TZID=America/Santiago:20260801T000000\nRRULE:FREQ=DAILY';
    expect(run(text, '2026-09-05T00:00:00Z', '2026-09-08T00:00:00Z')).toEqual([
      '2026-09-05T04:00:00Z',
      '2026-09-07T03:00:00Z',
    ]);
    expect(run(text, '2026-09-05T00:00:00Z', '2026-09-08T00:00:00Z', 'shift')).toEqual([
      '2026-09-05T04:00:00Z',
      '2026-09-06T04:00:00Z gap',
      '2026-09-07T03:00:00Z',
    ]);
  });
  it('a whole-day (DATE) rule starts each day at its first instant, even when midnight is skipped', () => {
    const text = 'DTSTART;VALUE=DATE:20260905\nRRULE:FREQ=DAILY;COUNT=3';
    const rule = parseRRule(text, { defaultTz: 'America/Santiago' });
    expect(expandRule(rule, 0, Date.parse('2027-01-01T00:00:00Z')).map((o) => formatUtc(o.startMs))).toEqual([
      '2026-09-05T04:00:00Z',
      '2026-09-06T04:00:00Z',
      '2026-09-07T03:00:00Z',
    ]);
  });
  it('23:30 on 4 April 2026 repeats: the first (-03:00) is taken', () => {
    const text = 'DTSTART;TZID=America/Santiago:20260401T233000\nRRULE:FREQ=DAILY';
    expect(run(text, '2026-04-04T00:00:00Z', '2026-04-07T00:00:00Z')).toEqual([
      '2026-04-04T02:30:00Z',
      '2026-04-05T02:30:00Z',
      '2026-04-06T03:30:00Z',
    ]);
  });
});

describe('nextOccurrence', () => {
  it('is strictly after the instant and crosses the gap', () => {
    const rule = parseRRule('DTSTART;TZID=Europe/Berlin:20260101T023000\nRRULE:FREQ=DAILY');
    expect(formatUtc(nextOccurrence(rule, Date.parse('2026-03-28T01:30:00Z'))!.startMs)).toBe('2026-03-30T00:30:00Z');
    expect(formatUtc(nextOccurrence(rule, Date.parse('2026-03-28T01:29:59Z'))!.startMs)).toBe('2026-03-28T01:30:00Z');
  });
  it('returns null after the last instance', () => {
    const rule = parseRRule('DTSTART:20260101T090000Z\nRRULE:FREQ=DAILY;COUNT=2');
    expect(nextOccurrence(rule, Date.parse('2026-01-02T09:00:00Z'))).toBeNull();
  });
});
