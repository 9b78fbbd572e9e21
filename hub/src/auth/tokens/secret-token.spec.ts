import { hashToken, issueToken, looksLikeToken, secretsEqual } from './secret-token';

describe('secret tokens', () => {
  it('issues prefixed 256-bit tokens and keeps only their SHA-256 at rest', () => {
    const issued = issueToken('api', (n) => Buffer.alloc(n, 1));
    expect(issued.token).toBe('rtp_AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE');
    expect(issued.hash).toBe(hashToken(issued.token));
    expect(issued.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.hint).toBe('rtp_AQEBAQ');
  });

  it('tells session tokens from API tokens and rejects malformed ones before any lookup', () => {
    const session = issueToken('session').token;
    expect(looksLikeToken('session', session)).toBe(true);
    expect(looksLikeToken('api', session)).toBe(false);
    expect(looksLikeToken('session', session + 'x')).toBe(false);
    expect(looksLikeToken('session', 'rts_')).toBe(false);
  });

  it('issues a different token every time', () => {
    expect(issueToken('session').token).not.toBe(issueToken('session').token);
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', 'a')).toBe(false);
  });
});
