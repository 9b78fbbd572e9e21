import { clearedCookie, readCookie, sessionCookie } from './cookies';

describe('cookies', () => {
  it('reads one cookie among several, unquoted and decoded', () => {
    expect(readCookie('a=1; roomtone_session=rts_x; b=2', 'roomtone_session')).toBe('rts_x');
    expect(readCookie('roomtone_session="q%20v"', 'roomtone_session')).toBe('q v');
    expect(readCookie('xroomtone_session=no', 'roomtone_session')).toBeUndefined();
    expect(readCookie(undefined, 'roomtone_session')).toBeUndefined();
    expect(readCookie('roomtone_session=%E0%A4%A', 'roomtone_session')).toBeUndefined();
  });

  it('writes an HttpOnly SameSite=Lax session cookie, Secure only behind https', () => {
    expect(sessionCookie('s', 'v', { secure: false, maxAgeSeconds: 60 })).toBe(
      's=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    );
    expect(sessionCookie('s', 'v', { secure: true, maxAgeSeconds: 60 })).toBe(
      's=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure',
    );
    expect(clearedCookie('s', false)).toBe('s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
  });
});
