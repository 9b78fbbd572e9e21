import { csrfTokenFor, csrfTokenMatches, isUnsafeMethod } from './csrf';

describe('CSRF synchronizer token', () => {
  it('is derived from the session secret, stable for a session and different across sessions', () => {
    expect(csrfTokenFor('rts_one')).toBe(csrfTokenFor('rts_one'));
    expect(csrfTokenFor('rts_one')).not.toBe(csrfTokenFor('rts_two'));
    expect(csrfTokenFor('rts_one')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches only the exact token sent in a single header', () => {
    const expected = csrfTokenFor('rts_one');
    expect(csrfTokenMatches(expected, expected)).toBe(true);
    expect(csrfTokenMatches(expected, csrfTokenFor('rts_two'))).toBe(false);
    expect(csrfTokenMatches(expected, undefined)).toBe(false);
    expect(csrfTokenMatches(expected, '')).toBe(false);
    expect(csrfTokenMatches(expected, [expected, expected])).toBe(false);
  });

  it('treats GET, HEAD and OPTIONS as safe and everything else as unsafe', () => {
    expect(['GET', 'head', 'OPTIONS'].map(isUnsafeMethod)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(isUnsafeMethod)).toEqual([true, true, true, true]);
  });
});
