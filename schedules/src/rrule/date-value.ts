import { RuleError } from '../rules/errors';
import { daysFromCivil, daysInMonth, MS_PER_DAY } from '../time/civil';
import { MAX_YEAR, MIN_YEAR } from '../time/zone';

/** A DATE or DATE-TIME value: floating ms, and whether it was a DATE or carried `Z`. */
export interface DateValue {
  ms: number;
  dateOnly: boolean;
  utc: boolean;
}

const DATE_RE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/;

/** Reads `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`; throws a RuleError at `position` for anything else. */
export function parseDateValue(text: string, part: string, position: number): DateValue {
  const m = DATE_RE.exec(text);
  if (m === null) {
    throw new RuleError(
      'INVALID_SYNTAX',
      `${part}: "${text}" is not a date (YYYYMMDD) or date-time (YYYYMMDDTHHMMSS, optionally ending in Z)`,
      { part, position },
    );
  }
  const [year, month, day] = [+m[1], +m[2], +m[3]];
  const dateOnly = m[4] === undefined;
  const [hour, minute, second] = dateOnly ? [0, 0, 0] : [+m[4], +m[5], +m[6]];
  if (
    year < MIN_YEAR ||
    year > MAX_YEAR - 1 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new RuleError('INVALID_VALUE', `${part}: "${text}" is not a real date and time`, { part, position });
  }
  const ms = daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
  return { ms, dateOnly, utc: m[7] === 'Z' };
}
