import type { OpeningInterval } from '../tenancy/entities';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MINUTES = 24 * 60;

function minutes(time: string): number {
  const match = TIME.exec(time);
  if (match === null) return NaN;
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Problems with a week of opening hours, empty when it is valid. Each interval is in the venue's local time, weekday
 * 1 = Monday ... 7 = Sunday, "HH:MM" 24-hour times; an interval closing at or before it opens runs past midnight into
 * the next day (a bar open 18:00-02:00). Intervals must not overlap, including overnight ones spilling into the next
 * weekday (Sunday spills into Monday).
 */
export function openingHoursProblems(intervals: readonly OpeningInterval[]): string[] {
  const problems: string[] = [];
  const spans: { start: number; end: number; label: string }[] = [];
  intervals.forEach((interval, i) => {
    const label = `openingHours[${i}]`;
    if (!Number.isInteger(interval.weekday) || interval.weekday < 1 || interval.weekday > 7) {
      problems.push(`${label}.weekday must be 1 (Monday) to 7 (Sunday)`);
      return;
    }
    const opens = minutes(interval.opens);
    const closes = minutes(interval.closes);
    if (Number.isNaN(opens)) problems.push(`${label}.opens must be a time HH:MM from 00:00 to 23:59`);
    if (Number.isNaN(closes)) problems.push(`${label}.closes must be a time HH:MM from 00:00 to 23:59`);
    if (Number.isNaN(opens) || Number.isNaN(closes)) return;
    if (opens === closes) problems.push(`${label} opens and closes at the same time; omit the day to mark it closed`);
    const start = (interval.weekday - 1) * DAY_MINUTES + opens;
    const length = closes > opens ? closes - opens : DAY_MINUTES - opens + closes;
    spans.push({ start, end: start + length, label });
  });
  const week = 7 * DAY_MINUTES;
  for (let a = 0; a < spans.length; a++) {
    for (let b = a + 1; b < spans.length; b++) {
      const x = spans[a];
      const y = spans[b];
      // Compare on the weekly circle: shift y by a week either way so Sunday night meets Monday morning.
      const overlaps = [-week, 0, week].some((shift) => x.start < y.end + shift && y.start + shift < x.end);
      if (overlaps) problems.push(`${x.label} overlaps ${y.label}`);
    }
  }
  return problems;
}
