/** A parsed cron expression: plain data, every field resolved to sorted value lists and special-day entries. */
export interface CronRule {
  kind: 'cron';
  /** The IANA zone the wall-clock fields are read in. */
  tz: string;
  /** The expression as given. */
  source: string;
  /** Six fields were given (the first one is seconds). */
  hasSeconds: boolean;
  seconds: number[];
  minutes: number[];
  hours: number[];
  /** Plain days of the month, 1-31. */
  daysOfMonth: number[];
  /** `L` (0) and `L-n` (n): the day n days before the month's last. */
  lastDayOffsets: number[];
  /** `nW`: the weekday (Mon-Fri) nearest to day n, staying in the month. */
  nearestWeekdays: number[];
  /** `LW`: the last Monday-Friday of the month. */
  lastWeekdayOfMonth: boolean;
  months: number[];
  /** Plain days of the week, 0 = Sunday ... 6 = Saturday (7 is read as 0). */
  daysOfWeek: number[];
  /** `d#n`: the n-th (1-5) weekday d of the month. */
  nthDaysOfWeek: Array<{ weekday: number; n: number }>;
  /** `dL`: the last weekday d of the month. */
  lastDaysOfWeek: number[];
  /** Day-of-month field was `*` or `?` (or began with `*`, Vixie's test): then both day fields must match. */
  domStar: boolean;
  dowStar: boolean;
  /**
   * The hour field is a wildcard or a step (`*`, `*\/2`, `1-23/2`): such a rule fires at every elapsed instant whose
   * wall clock matches (twice in a repeated hour, never in a skipped one). Otherwise each matching wall time fires
   * once: at its first occurrence, or at the first instant after a spring-forward gap that swallowed it.
   */
  hourRepeats: boolean;
}
