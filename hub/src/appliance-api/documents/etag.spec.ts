import { licenceEtag, noneMatch } from './etag';

describe('licence ETag and If-None-Match', () => {
  const base = ['l1', 1, 'z1', 'a1'] as const;

  it('changes with the licence version, the zone and the appliance, and only with them', () => {
    const tag = licenceEtag(...base);
    expect(licenceEtag(...base)).toBe(tag);
    expect(licenceEtag('l1', 2, 'z1', 'a1')).not.toBe(tag);
    expect(licenceEtag('l1', 1, 'z2', 'a1')).not.toBe(tag);
    expect(licenceEtag('l1', 1, 'z1', 'a2')).not.toBe(tag);
    expect(licenceEtag('l2', 1, 'z1', 'a1')).not.toBe(tag);
    expect(tag).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('RFC 9110 13.1.2: lists, weak tags and * match; other tags and no header do not', () => {
    expect(noneMatch('"abc"', 'abc')).toBe(true);
    expect(noneMatch('"x", W/"abc"', 'abc')).toBe(true);
    expect(noneMatch('*', 'abc')).toBe(true);
    expect(noneMatch('"abcd"', 'abc')).toBe(false);
    expect(noneMatch('abc', 'abc')).toBe(false);
    expect(noneMatch(undefined, 'abc')).toBe(false);
  });
});
