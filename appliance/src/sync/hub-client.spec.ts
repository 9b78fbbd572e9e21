import { skewCorrectionMs } from './hub-client';

const refusal = (message: string, code = 'SIGNATURE_CLOCK_SKEW') => JSON.stringify({ statusCode: 401, code, message });

describe('skewCorrectionMs (a 401 for clock skew corrects the signing clock)', () => {
  it('uses the skew the hub names, in its own clock', () => {
    const ago = refusal('signature created 7200 s ago, beyond the 300 s allowed: fix the appliance clock (NTP)');
    expect(skewCorrectionMs(ago, null, 0)).toBe(7_200_000);
    const ahead = refusal('signature created 90000 s in the future, beyond the 300 s allowed: fix the appliance clock');
    expect(skewCorrectionMs(ahead, null, 0)).toBe(-90_000_000);
  });

  it('falls back to the Date header, and accepts the documented { error: { code } } shape', () => {
    const text = JSON.stringify({ error: { code: 'SIGNATURE_CLOCK_SKEW', message: 'clock skew' } });
    expect(skewCorrectionMs(text, 'Tue, 24 Nov 2026 10:00:00 GMT', Date.parse('2026-11-24T08:00:00Z'))).toBe(7_200_000);
  });

  it('ignores every other refusal (revoked, unknown key, bad signature) and non-JSON bodies', () => {
    expect(
      skewCorrectionMs(refusal('appliance revoked', 'APPLIANCE_REVOKED'), 'Tue, 24 Nov 2026 10:00:00 GMT', 0),
    ).toBeNull();
    expect(skewCorrectionMs('<html>', null, 0)).toBeNull();
  });
});
