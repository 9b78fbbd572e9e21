/**
 * Every example of RFC 5545 section 3.8.5.3, with exact UTC instants. The RFC states its results as New York wall
 * times; `ny()` turns them into UTC with the US daylight-saving dates of those years written out below, so the
 * expected values do not come from the code under test.
 */
import { expandRule, parseRRule, formatUtc } from '../rules';

/** US DST start and end dates (month, day), 1996-2007: the old rule (April-October) and, from 2007, March-November. */
const US_DST: Record<number, [number, number, number, number]> = {
  1996: [4, 7, 10, 27],
  1997: [4, 6, 10, 26],
  1998: [4, 5, 10, 25],
  1999: [4, 4, 10, 31],
  2000: [4, 2, 10, 29],
  2001: [4, 1, 10, 28],
  2002: [4, 7, 10, 27],
  2003: [4, 6, 10, 26],
  2004: [4, 4, 10, 31],
  2005: [4, 3, 10, 30],
  2006: [4, 2, 10, 29],
  2007: [3, 11, 11, 4],
};

/** A New York wall time (at or after 03:00, so never in a transition) as a UTC ISO string. */
function nyOne(year: number, month: number, day: number, hour: number, minute = 0): string {
  const [sm, sd, em, ed] = US_DST[year];
  const key = month * 100 + day;
  const edt = key >= sm * 100 + sd && key < em * 100 + ed;
  const ms = Date.UTC(year, month - 1, day, hour + (edt ? 4 : 5), minute);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** `ny(1997, 9, [2, 3], 9)`: those days of one month at 09:00 New York time. */
function ny(year: number, month: number, days: number[], hour = 9, minute = 0): string[] {
  return days.map((d) => nyOne(year, month, d, hour, minute));
}

function range(a: number, b: number, step = 1): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i += step) out.push(i);
  return out;
}

const TZ = 'DTSTART;TZID=America/New_York:';
function run(text: string, limit?: number, toIso = '2010-01-01T00:00:00Z'): string[] {
  const rule = parseRRule(text);
  return expandRule(rule, Date.parse('1990-01-01T00:00:00Z'), Date.parse(toIso), { limit }).map((o) =>
    formatUtc(o.startMs),
  );
}

describe('RFC 5545 3.8.5.3 examples (America/New_York, exact UTC instants)', () => {
  it('daily for 10 occurrences', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=DAILY;COUNT=10`)).toEqual(ny(1997, 9, range(2, 11)));
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=DAILY;COUNT=10`)[0]).toBe('1997-09-02T13:00:00Z');
  });

  it('daily until December 24, 1997', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=DAILY;UNTIL=19971224T000000Z`)).toEqual([
      ...ny(1997, 9, range(2, 30)),
      ...ny(1997, 10, range(1, 31)),
      ...ny(1997, 11, range(1, 30)),
      ...ny(1997, 12, range(1, 23)),
    ]);
  });

  it('every other day, forever (first 76)', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=DAILY;INTERVAL=2`, 76)).toEqual([
      ...ny(1997, 9, range(2, 30, 2)),
      ...ny(1997, 10, range(2, 30, 2)),
      ...ny(1997, 11, range(1, 29, 2)),
      ...ny(1997, 12, range(1, 31, 2)),
      ...ny(1998, 1, range(2, 30, 2)),
    ]);
  });

  it('every 10 days, 5 occurrences', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=DAILY;INTERVAL=10;COUNT=5`)).toEqual([
      ...ny(1997, 9, [2, 12, 22]),
      ...ny(1997, 10, [2, 12]),
    ]);
  });

  const januaries = [...ny(1998, 1, range(1, 31)), ...ny(1999, 1, range(1, 31)), ...ny(2000, 1, range(1, 31))];
  it('every day in January, for 3 years (YEARLY with BYMONTH and BYDAY)', () => {
    expect(
      run(`${TZ}19980101T090000\nRRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA`),
    ).toEqual(januaries);
  });

  it('every day in January, for 3 years (DAILY with BYMONTH)', () => {
    expect(run(`${TZ}19980101T090000\nRRULE:FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1`)).toEqual(januaries);
  });

  it('weekly for 10 occurrences', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=WEEKLY;COUNT=10`)).toEqual([
      ...ny(1997, 9, [2, 9, 16, 23, 30]),
      ...ny(1997, 10, [7, 14, 21, 28]),
      ...ny(1997, 11, [4]),
    ]);
  });

  it('weekly until December 24, 1997', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=WEEKLY;UNTIL=19971224T000000Z`)).toEqual([
      ...ny(1997, 9, [2, 9, 16, 23, 30]),
      ...ny(1997, 10, [7, 14, 21, 28]),
      ...ny(1997, 11, [4, 11, 18, 25]),
      ...ny(1997, 12, [2, 9, 16, 23]),
    ]);
  });

  it('every other week, forever (first 13)', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU`, 13)).toEqual([
      ...ny(1997, 9, [2, 16, 30]),
      ...ny(1997, 10, [14, 28]),
      ...ny(1997, 11, [11, 25]),
      ...ny(1997, 12, [9, 23]),
      ...ny(1998, 1, [6, 20]),
      ...ny(1998, 2, [3, 17]),
    ]);
  });

  const tuTh = [...ny(1997, 9, [2, 4, 9, 11, 16, 18, 23, 25, 30]), ...ny(1997, 10, [2])];
  it('weekly on Tuesday and Thursday for five weeks (UNTIL)', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH`)).toEqual(tuTh);
  });

  it('weekly on Tuesday and Thursday for five weeks (COUNT)', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH`)).toEqual(tuTh);
  });

  it('every other week on Monday, Wednesday and Friday until December 24, 1997, from Monday September 1', () => {
    expect(
      run(`${TZ}19970901T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR`),
    ).toEqual([
      ...ny(1997, 9, [1, 3, 5, 15, 17, 19, 29]),
      ...ny(1997, 10, [1, 3, 13, 15, 17, 27, 29, 31]),
      ...ny(1997, 11, [10, 12, 14, 24, 26, 28]),
      ...ny(1997, 12, [8, 10, 12, 22]),
    ]);
  });

  it('every other week on Tuesday and Thursday, for 8 occurrences', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH`)).toEqual([
      ...ny(1997, 9, [2, 4, 16, 18, 30]),
      ...ny(1997, 10, [2, 14, 16]),
    ]);
  });

  it('monthly on the first Friday for 10 occurrences', () => {
    expect(run(`${TZ}19970905T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR`)).toEqual([
      ...ny(1997, 9, [5]),
      ...ny(1997, 10, [3]),
      ...ny(1997, 11, [7]),
      ...ny(1997, 12, [5]),
      ...ny(1998, 1, [2]),
      ...ny(1998, 2, [6]),
      ...ny(1998, 3, [6]),
      ...ny(1998, 4, [3]),
      ...ny(1998, 5, [1]),
      ...ny(1998, 6, [5]),
    ]);
  });

  it('monthly on the first Friday until December 24, 1997', () => {
    expect(run(`${TZ}19970905T090000\nRRULE:FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR`)).toEqual([
      ...ny(1997, 9, [5]),
      ...ny(1997, 10, [3]),
      ...ny(1997, 11, [7]),
      ...ny(1997, 12, [5]),
    ]);
  });

  it('every other month on the first and last Sunday of the month for 10 occurrences', () => {
    expect(run(`${TZ}19970907T090000\nRRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU`)).toEqual([
      ...ny(1997, 9, [7, 28]),
      ...ny(1997, 11, [2, 30]),
      ...ny(1998, 1, [4, 25]),
      ...ny(1998, 3, [1, 29]),
      ...ny(1998, 5, [3, 31]),
    ]);
  });

  it('monthly on the second-to-last Monday of the month for 6 months', () => {
    expect(run(`${TZ}19970922T090000\nRRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO`)).toEqual([
      ...ny(1997, 9, [22]),
      ...ny(1997, 10, [20]),
      ...ny(1997, 11, [17]),
      ...ny(1997, 12, [22]),
      ...ny(1998, 1, [19]),
      ...ny(1998, 2, [16]),
    ]);
  });

  it('monthly on the third-to-the-last day of the month, forever (first 6)', () => {
    expect(run(`${TZ}19970928T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-3`, 6)).toEqual([
      ...ny(1997, 9, [28]),
      ...ny(1997, 10, [29]),
      ...ny(1997, 11, [28]),
      ...ny(1997, 12, [29]),
      ...ny(1998, 1, [29]),
      ...ny(1998, 2, [26]),
    ]);
  });

  it('monthly on the 2nd and 15th of the month for 10 occurrences', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15`)).toEqual([
      ...ny(1997, 9, [2, 15]),
      ...ny(1997, 10, [2, 15]),
      ...ny(1997, 11, [2, 15]),
      ...ny(1997, 12, [2, 15]),
      ...ny(1998, 1, [2, 15]),
    ]);
  });

  it('monthly on the first and last day of the month for 10 occurrences', () => {
    expect(run(`${TZ}19970930T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1`)).toEqual([
      ...ny(1997, 9, [30]),
      ...ny(1997, 10, [1, 31]),
      ...ny(1997, 11, [1, 30]),
      ...ny(1997, 12, [1, 31]),
      ...ny(1998, 1, [1, 31]),
      ...ny(1998, 2, [1]),
    ]);
  });

  it('every 18 months on the 10th thru 15th of the month for 10 occurrences', () => {
    expect(run(`${TZ}19970910T090000\nRRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15`)).toEqual([
      ...ny(1997, 9, range(10, 15)),
      ...ny(1999, 3, range(10, 13)),
    ]);
  });

  it('every Tuesday, every other month (first 18)', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU`, 18)).toEqual([
      ...ny(1997, 9, [2, 9, 16, 23, 30]),
      ...ny(1997, 11, [4, 11, 18, 25]),
      ...ny(1998, 1, [6, 13, 20, 27]),
      ...ny(1998, 3, [3, 10, 17, 24, 31]),
    ]);
  });

  it('yearly in June and July for 10 occurrences', () => {
    const years = [1997, 1998, 1999, 2000, 2001];
    expect(run(`${TZ}19970610T090000\nRRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7`)).toEqual(
      years.flatMap((y) => [...ny(y, 6, [10]), ...ny(y, 7, [10])]),
    );
  });

  it('every other year on January, February, and March for 10 occurrences', () => {
    expect(run(`${TZ}19970310T090000\nRRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3`)).toEqual([
      ...ny(1997, 3, [10]),
      ...[1999, 2001, 2003].flatMap((y) => [...ny(y, 1, [10]), ...ny(y, 2, [10]), ...ny(y, 3, [10])]),
    ]);
  });

  it('every third year on the 1st, 100th, and 200th day for 10 occurrences', () => {
    expect(run(`${TZ}19970101T090000\nRRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200`)).toEqual([
      ...ny(1997, 1, [1]),
      ...ny(1997, 4, [10]),
      ...ny(1997, 7, [19]),
      ...ny(2000, 1, [1]),
      ...ny(2000, 4, [9]),
      ...ny(2000, 7, [18]),
      ...ny(2003, 1, [1]),
      ...ny(2003, 4, [10]),
      ...ny(2003, 7, [19]),
      ...ny(2006, 1, [1]),
    ]);
  });

  it('every 20th Monday of the year, forever (first 3)', () => {
    expect(run(`${TZ}19970519T090000\nRRULE:FREQ=YEARLY;BYDAY=20MO`, 3)).toEqual([
      ...ny(1997, 5, [19]),
      ...ny(1998, 5, [18]),
      ...ny(1999, 5, [17]),
    ]);
  });

  it('Monday of week number 20 (week starting Monday), forever (first 3)', () => {
    expect(run(`${TZ}19970512T090000\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO`, 3)).toEqual([
      ...ny(1997, 5, [12]),
      ...ny(1998, 5, [11]),
      ...ny(1999, 5, [17]),
    ]);
  });

  it('every Thursday in March, forever (first 11)', () => {
    expect(run(`${TZ}19970313T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH`, 11)).toEqual([
      ...ny(1997, 3, [13, 20, 27]),
      ...ny(1998, 3, [5, 12, 19, 26]),
      ...ny(1999, 3, [4, 11, 18, 25]),
    ]);
  });

  it('every Thursday, but only during June, July, and August, forever (first 39)', () => {
    expect(run(`${TZ}19970605T090000\nRRULE:FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8`, 39)).toEqual([
      ...ny(1997, 6, [5, 12, 19, 26]),
      ...ny(1997, 7, [3, 10, 17, 24, 31]),
      ...ny(1997, 8, [7, 14, 21, 28]),
      ...ny(1998, 6, [4, 11, 18, 25]),
      ...ny(1998, 7, [2, 9, 16, 23, 30]),
      ...ny(1998, 8, [6, 13, 20, 27]),
      ...ny(1999, 6, [3, 10, 17, 24]),
      ...ny(1999, 7, [1, 8, 15, 22, 29]),
      ...ny(1999, 8, [5, 12, 19, 26]),
    ]);
  });

  it('every Friday the 13th, forever, DTSTART excluded by EXDATE (first 5)', () => {
    const text = `${TZ}19970902T090000\nEXDATE;TZID=America/New_York:19970902T090000\nRRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13`;
    expect(run(text, 5)).toEqual([
      ...ny(1998, 2, [13]),
      ...ny(1998, 3, [13]),
      ...ny(1998, 11, [13]),
      ...ny(1999, 8, [13]),
      ...ny(2000, 10, [13]),
    ]);
  });

  it('the first Saturday that follows the first Sunday of the month, forever (first 10)', () => {
    expect(run(`${TZ}19970913T090000\nRRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13`, 10)).toEqual([
      ...ny(1997, 9, [13]),
      ...ny(1997, 10, [11]),
      ...ny(1997, 11, [8]),
      ...ny(1997, 12, [13]),
      ...ny(1998, 1, [10]),
      ...ny(1998, 2, [7]),
      ...ny(1998, 3, [7]),
      ...ny(1998, 4, [11]),
      ...ny(1998, 5, [9]),
      ...ny(1998, 6, [13]),
    ]);
  });

  it('every 4 years, the first Tuesday after a Monday in November (U.S. election day), first 3', () => {
    expect(
      run(`${TZ}19961105T090000\nRRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8`, 3),
    ).toEqual([...ny(1996, 11, [5]), ...ny(2000, 11, [7]), ...ny(2004, 11, [2])]);
  });

  it('the third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months', () => {
    expect(run(`${TZ}19970904T090000\nRRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3`)).toEqual([
      ...ny(1997, 9, [4]),
      ...ny(1997, 10, [7]),
      ...ny(1997, 11, [6]),
    ]);
  });

  it('the second-to-last weekday of the month (first 7)', () => {
    expect(run(`${TZ}19970929T090000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2`, 7)).toEqual([
      ...ny(1997, 9, [29]),
      ...ny(1997, 10, [30]),
      ...ny(1997, 11, [27]),
      ...ny(1997, 12, [30]),
      ...ny(1998, 1, [29]),
      ...ny(1998, 2, [26]),
      ...ny(1998, 3, [30]),
    ]);
  });

  it('every 3 hours from 9:00 AM to 5:00 PM on a specific day (UNTIL read as the instant it names)', () => {
    // The RFC lists 09:00, 12:00 and 15:00 EDT, but its UNTIL=19970902T170000Z is 13:00 EDT, and UNTIL is inclusive
    // of instances up to that instant, so 15:00 (19:00Z) is past it. We follow the UNTIL the rule states (errata
    // discussions of this example agree); rrule-temporal gives the same two instances.
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z`)).toEqual([
      '1997-09-02T13:00:00Z',
      '1997-09-02T16:00:00Z',
    ]);
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z`)).toEqual([
      ...ny(1997, 9, [2], 9),
      ...ny(1997, 9, [2], 12),
      ...ny(1997, 9, [2], 15),
    ]);
  });

  it('every 15 minutes for 6 occurrences', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6`)).toEqual([
      '1997-09-02T13:00:00Z',
      '1997-09-02T13:15:00Z',
      '1997-09-02T13:30:00Z',
      '1997-09-02T13:45:00Z',
      '1997-09-02T14:00:00Z',
      '1997-09-02T14:15:00Z',
    ]);
  });

  it('every hour and a half for 4 occurrences', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=4`)).toEqual([
      '1997-09-02T13:00:00Z',
      '1997-09-02T14:30:00Z',
      '1997-09-02T16:00:00Z',
      '1997-09-02T17:30:00Z',
    ]);
  });

  const everyTwenty = (day: number): string[] =>
    range(9, 16).flatMap((h) => [0, 20, 40].map((m) => nyOne(1997, 9, day, h, m)));
  it('every 20 minutes from 9:00 AM to 4:40 PM every day (DAILY with BYHOUR and BYMINUTE)', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40`, 48)).toEqual([
      ...everyTwenty(2),
      ...everyTwenty(3),
    ]);
  });

  it('every 20 minutes from 9:00 AM to 4:40 PM every day (MINUTELY with BYHOUR)', () => {
    expect(run(`${TZ}19970902T090000\nRRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16`, 48)).toEqual([
      ...everyTwenty(2),
      ...everyTwenty(3),
    ]);
  });

  it('WKST makes a difference: WKST=MO', () => {
    expect(run(`${TZ}19970805T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO`)).toEqual(
      ny(1997, 8, [5, 10, 19, 24]),
    );
  });

  it('WKST makes a difference: WKST=SU', () => {
    expect(run(`${TZ}19970805T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU`)).toEqual(
      ny(1997, 8, [5, 17, 19, 31]),
    );
  });

  it('an invalid date (February 30) is ignored', () => {
    expect(run(`${TZ}20070115T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5`)).toEqual([
      '2007-01-15T14:00:00Z',
      '2007-01-30T14:00:00Z',
      '2007-02-15T14:00:00Z',
      '2007-03-15T13:00:00Z',
      '2007-03-30T13:00:00Z',
    ]);
  });
});
