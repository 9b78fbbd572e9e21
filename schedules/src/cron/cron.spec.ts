/** Cron: fields, names, ranges, steps, L/W/#, Vixie day matching, and Vixie daylight-saving semantics. */
import { expandRule, formatUtc, nextOccurrence, parseCron } from '../rules';

function run(expr: string, tz: string, from: string, to: string, limit?: number): string[] {
  return expandRule(parseCron(expr, tz), Date.parse(from), Date.parse(to), { limit }).map(
    (o) => formatUtc(o.startMs) + (o.inGap ? ' gap' : ''),
  );
}
const noon = (dates: string[]): string[] => dates.map((d) => `${d}T12:00:00Z`);

describe('cron fields', () => {
  it('L: the last day of each month', () => {
    expect(run('0 12 L * *', 'UTC', '2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual(
      noon(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']),
    );
  });
  it('L-2: two days before the last day', () => {
    expect(run('0 12 L-2 1-3 *', 'UTC', '2028-01-01T00:00:00Z', '2029-01-01T00:00:00Z')).toEqual(
      noon(['2028-01-29', '2028-02-27', '2028-03-29']),
    );
  });
  it('15W: the weekday nearest the 15th (Saturday -> Friday, Sunday -> Monday)', () => {
    expect(run('0 12 15W 7,8,11 *', 'UTC', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual(
      noon(['2026-07-15', '2026-08-14', '2026-11-16']),
    );
  });
  it('1W never leaves the month: Saturday the 1st -> Monday the 3rd', () => {
    expect(run('0 12 1W 2,8 *', 'UTC', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual(
      noon(['2026-02-02', '2026-08-03']),
    );
  });
  it('LW: the last weekday of the month', () => {
    expect(run('0 12 LW 1,5,6 *', 'UTC', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual(
      noon(['2026-01-30', '2026-05-29', '2026-06-30']),
    );
  });
  it('5#3: the third Friday', () => {
    expect(run('0 12 * * 5#3', 'UTC', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual(
      noon(['2026-01-16', '2026-02-20', '2026-03-20']),
    );
  });
  it('FRI#5 only in months with five Fridays', () => {
    expect(run('0 12 * * FRI#5', 'UTC', '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z')).toEqual(
      noon(['2026-01-30', '2026-05-29']),
    );
  });
  it('5L: the last Friday', () => {
    expect(run('0 12 * * 5L', 'UTC', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual(
      noon(['2026-01-30', '2026-02-27', '2026-03-27']),
    );
  });
  it('FRI#L is the same as 5L', () => {
    expect(run('0 12 * * FRI#L', 'UTC', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual(
      noon(['2026-01-30', '2026-02-27']),
    );
  });
  it('MON-SUN and SAT-SUN: Sunday closes a range', () => {
    expect(run('0 12 * * SAT-SUN', 'UTC', '2026-03-02T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual(
      noon(['2026-03-07', '2026-03-08']),
    );
    expect(run('0 12 * * MON-SUN', 'UTC', '2026-03-02T00:00:00Z', '2026-03-05T00:00:00Z')).toEqual(
      noon(['2026-03-02', '2026-03-03', '2026-03-04']),
    );
  });
  it('Sunday is 0, 7 or SUN', () => {
    const sundays = noon(['2026-03-01', '2026-03-08']);
    for (const dow of ['0', '7', 'SUN', 'sun']) {
      expect(run(`0 12 * * ${dow}`, 'UTC', '2026-03-01T00:00:00Z', '2026-03-10T00:00:00Z')).toEqual(sundays);
    }
  });
  it('names, ranges and lists: weekdays of the first quarter at 08:30', () => {
    const out = run('30 8 * JAN-MAR MON-FRI', 'UTC', '2026-03-26T00:00:00Z', '2026-04-03T00:00:00Z');
    expect(out).toEqual([
      '2026-03-26T08:30:00Z',
      '2026-03-27T08:30:00Z',
      '2026-03-30T08:30:00Z',
      '2026-03-31T08:30:00Z',
    ]);
  });
  it('steps on ranges and on a start value', () => {
    expect(run('10-40/15 9 * * *', 'UTC', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')).toEqual([
      '2026-03-01T09:10:00Z',
      '2026-03-01T09:25:00Z',
      '2026-03-01T09:40:00Z',
    ]);
    expect(run('50/5 9 * * *', 'UTC', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')).toEqual([
      '2026-03-01T09:50:00Z',
      '2026-03-01T09:55:00Z',
    ]);
  });
  it('six fields: seconds first', () => {
    expect(run('*/20 0 9 * * *', 'UTC', '2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z')).toEqual([
      '2026-03-01T09:00:00Z',
      '2026-03-01T09:00:20Z',
      '2026-03-01T09:00:40Z',
    ]);
  });
  it('nicknames', () => {
    expect(run('@monthly', 'UTC', '2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z')).toEqual([
      '2026-03-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
    ]);
  });
  it('Vixie: with both day fields restricted, the 13th OR a Friday', () => {
    expect(run('0 12 13 * 5', 'UTC', '2026-03-09T00:00:00Z', '2026-03-21T00:00:00Z')).toEqual(
      noon(['2026-03-13', '2026-03-20']),
    );
    expect(run('0 12 14 * 5', 'UTC', '2026-03-09T00:00:00Z', '2026-03-21T00:00:00Z')).toEqual(
      noon(['2026-03-13', '2026-03-14', '2026-03-20']),
    );
  });
  it('Vixie: a day-of-month starting with * (*/2) does not count as restricted, so both must match', () => {
    expect(run('0 12 */2 * 1', 'UTC', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).toEqual(
      noon(['2026-03-09', '2026-03-23']),
    );
  });
  it('the limit bounds a busy expression', () => {
    expect(run('* * * * * *', 'UTC', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:01Z',
      '2026-01-01T00:00:02Z',
    ]);
    expect(expandRule(parseCron('* * * * * *', 'UTC'), 0, Date.parse('2027-01-01T00:00:00Z'))).toHaveLength(100_000);
  });
  it('nextOccurrence finds 29 February years ahead, strictly after the instant', () => {
    const leap = parseCron('0 0 29 2 *', 'Europe/Berlin');
    expect(formatUtc(nextOccurrence(leap, Date.parse('2026-03-01T00:00:00Z'))!.startMs)).toBe('2028-02-28T23:00:00Z');
    expect(formatUtc(nextOccurrence(leap, Date.parse('2028-02-28T23:00:00Z'))!.startMs)).toBe('2032-02-28T23:00:00Z');
  });
});

describe('cron across daylight-saving changes (Vixie semantics)', () => {
  it('Europe/Berlin: a fixed 02:30 skipped by spring-forward fires once at 03:00 CEST', () => {
    expect(run('30 2 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00Z',
      '2026-03-29T01:00:00Z gap',
      '2026-03-30T00:30:00Z',
    ]);
  });
  it('Europe/Berlin: a fixed 02:30 repeated by fall-back fires once, at its first occurrence', () => {
    expect(run('30 2 * * *', 'Europe/Berlin', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
      '2026-10-24T00:30:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00Z',
    ]);
  });
  it('Europe/Berlin: several fixed times in the gap fire once, together', () => {
    expect(run('0,30 2,3 * * *', 'Europe/Berlin', '2026-03-29T00:00:00Z', '2026-03-29T03:00:00Z')).toEqual([
      '2026-03-29T01:00:00Z',
      '2026-03-29T01:30:00Z',
    ]);
    expect(run('* 2 * * *', 'Europe/Berlin', '2026-03-29T00:00:00Z', '2026-03-29T03:00:00Z')).toEqual([
      '2026-03-29T01:00:00Z gap',
    ]);
  });
  it('Europe/Berlin: */30 in every hour skips the missing hour and fires twice in the repeated one', () => {
    expect(run('*/30 * * * *', 'Europe/Berlin', '2026-03-29T00:00:00Z', '2026-03-29T02:00:00Z')).toEqual([
      '2026-03-29T00:00:00Z',
      '2026-03-29T00:30:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-29T01:30:00Z',
    ]);
    expect(run('*/30 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', '2026-10-25T02:30:00Z')).toEqual([
      '2026-10-24T23:30:00Z',
      '2026-10-25T00:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:00:00Z',
      '2026-10-25T01:30:00Z',
      '2026-10-25T02:00:00Z',
    ]);
  });
  it('America/New_York: 02:30 fires at 03:00 EDT; 01:30 fires once in EDT; 30 * fires in both 01:30s', () => {
    expect(run('30 2 * * *', 'America/New_York', '2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z')).toEqual([
      '2026-03-08T07:00:00Z gap',
    ]);
    expect(run('30 1 * * *', 'America/New_York', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')).toEqual([
      '2026-11-01T05:30:00Z',
    ]);
    expect(run('30 * * * *', 'America/New_York', '2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z')).toEqual([
      '2026-11-01T05:30:00Z',
      '2026-11-01T06:30:00Z',
    ]);
  });
  it('Australia/Lord_Howe: the 30-minute gap and overlap', () => {
    expect(run('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', '2026-10-04T00:00:00Z')).toEqual([
      '2026-10-03T15:30:00Z gap',
    ]);
    expect(run('*/15 * * * *', 'Australia/Lord_Howe', '2026-10-03T15:00:00Z', '2026-10-03T16:00:00Z')).toEqual([
      '2026-10-03T15:00:00Z',
      '2026-10-03T15:15:00Z',
      '2026-10-03T15:30:00Z',
      '2026-10-03T15:45:00Z',
    ]);
    expect(run('*/15 * * * *', 'Australia/Lord_Howe', '2026-04-04T14:30:00Z', '2026-04-04T15:30:00Z')).toEqual([
      '2026-04-04T14:30:00Z',
      '2026-04-04T14:45:00Z',
      '2026-04-04T15:00:00Z',
      '2026-04-04T15:15:00Z',
    ]);
    expect(run('45 1 * * *', 'Australia/Lord_Howe', '2026-04-04T00:00:00Z', '2026-04-05T00:00:00Z')).toEqual([
      '2026-04-04T14:45:00Z',
    ]);
  });
  it('Asia/Kolkata: 02:30 is 21:00Z the day before, every day', () => {
    expect(run('30 2 * * *', 'Asia/Kolkata', '2026-03-27T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      '2026-03-27T21:00:00Z',
      '2026-03-28T21:00:00Z',
      '2026-03-29T21:00:00Z',
    ]);
  });
  it('Pacific/Auckland: 02:30 fires at 03:00 NZDT on 27 September, once on 5 April', () => {
    expect(run('30 2 * * *', 'Pacific/Auckland', '2026-09-26T00:00:00Z', '2026-09-27T00:00:00Z')).toEqual([
      '2026-09-26T14:00:00Z gap',
    ]);
    expect(run('30 2 * * *', 'Pacific/Auckland', '2026-04-04T00:00:00Z', '2026-04-05T00:00:00Z')).toEqual([
      '2026-04-04T13:30:00Z',
    ]);
  });
  it('America/Santiago: midnight skipped on 6 September fires at 01:00; the repeated 23:00 fires twice hourly', () => {
    expect(run('0 0 * * *', 'America/Santiago', '2026-09-05T00:00:00Z', '2026-09-08T00:00:00Z')).toEqual([
      '2026-09-05T04:00:00Z',
      '2026-09-06T04:00:00Z gap',
      '2026-09-07T03:00:00Z',
    ]);
    expect(run('0 * * * *', 'America/Santiago', '2026-04-05T01:00:00Z', '2026-04-05T05:00:00Z')).toEqual([
      '2026-04-05T01:00:00Z',
      '2026-04-05T02:00:00Z',
      '2026-04-05T03:00:00Z',
      '2026-04-05T04:00:00Z',
    ]);
  });

  it('nextOccurrence follows the same rules: the gap firing, then the repeated hour twice for a wildcard hour', () => {
    const fixed = parseCron('30 2 * * *', 'Europe/Berlin');
    const gap = nextOccurrence(fixed, Date.parse('2026-03-28T01:30:00Z'))!;
    expect([formatUtc(gap.startMs), gap.inGap, gap.local.hour, gap.local.minute]).toEqual([
      '2026-03-29T01:00:00Z',
      true,
      2,
      30,
    ]);
    const hourly = parseCron('30 * * * *', 'Europe/Berlin');
    expect(formatUtc(nextOccurrence(hourly, Date.parse('2026-10-25T00:30:00Z'))!.startMs)).toBe('2026-10-25T01:30:00Z');
    expect(formatUtc(nextOccurrence(fixed, Date.parse('2026-10-25T00:30:00Z'))!.startMs)).toBe('2026-10-26T01:30:00Z');
  });
});
