import { formatInstant, parseDuration, parseInstant } from './iso';

describe('ISO 8601 instants on the CLI and in the API', () => {
  it.each([
    ['2026-03-29T01:00:00Z', '2026-03-29T01:00:00Z'],
    ['2026-03-29T01:00Z', '2026-03-29T01:00:00Z'],
    ['2026-03-29T03:00:00+02:00', '2026-03-29T01:00:00Z'],
    ['2026-03-29T03:00:00+0200', '2026-03-29T01:00:00Z'],
    ['2026-03-29T03:00:00+02', '2026-03-29T01:00:00Z'],
    ['2026-03-28T20:00:00-05:00', '2026-03-29T01:00:00Z'],
    ['2026-03-29T06:30:00+05:30', '2026-03-29T01:00:00Z'],
    ['2026-03-29T01:00:00.250Z', '2026-03-29T01:00:00.250Z'],
    ['2026-03-29t01:00:00z', '2026-03-29T01:00:00Z'],
  ])('%s is %s', (text, utc) => {
    expect(formatInstant(parseInstant(text)!)).toBe(utc);
  });

  it.each([
    '2026-03-29',
    '2026-03-29T01:00:00',
    '2026-02-30T00:00:00Z',
    '2026-03-29T24:00:00Z',
    '2026-03-29T01:00:00+25:00',
    'now',
  ])('%s is refused (no offset, or not a real time)', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('durations: weeks and days nominal, the time part exact', () => {
    expect(parseDuration('P1W2DT3H4M5S')).toEqual({ days: 9, seconds: 3 * 3600 + 4 * 60 + 5, text: 'P1W2DT3H4M5S' });
    expect(parseDuration('PT4H')).toEqual({ days: 0, seconds: 14400, text: 'PT4H' });
    expect(parseDuration('P')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
    expect(parseDuration('4H')).toBeUndefined();
  });
});
