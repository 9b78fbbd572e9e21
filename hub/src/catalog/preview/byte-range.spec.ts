import { parseByteRange } from './byte-range';

describe('HTTP Range (RFC 9110 14.1.2) on a 1000-byte preview', () => {
  test.each([
    ['bytes=0-499', { start: 0, end: 499 }],
    ['bytes=500-', { start: 500, end: 999 }],
    ['bytes=-200 (suffix: the last 200 bytes)', { start: 800, end: 999 }],
    ['bytes=900-5000 (end clamped to the file)', { start: 900, end: 999 }],
    ['bytes=0-0', { start: 0, end: 0 }],
    ['bytes=-5000 (suffix longer than the file)', { start: 0, end: 999 }],
    ['bytes=100-199, 300-399 (first range only)', { start: 100, end: 199 }],
  ])('%s', (header, expected) => {
    expect(parseByteRange(header.split(' (')[0], 1000)).toEqual(expected);
  });

  test('a start at or beyond the end is unsatisfiable (416)', () => {
    expect(parseByteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 1000)).toBe('unsatisfiable');
  });

  test('no header, another unit, or a malformed header serves the whole file', () => {
    expect(parseByteRange(undefined, 1000)).toBeUndefined();
    expect(parseByteRange('items=0-1', 1000)).toBeUndefined();
    expect(parseByteRange('bytes=500-100', 1000)).toBeUndefined();
    expect(parseByteRange('bytes=-', 1000)).toBeUndefined();
  });
});
