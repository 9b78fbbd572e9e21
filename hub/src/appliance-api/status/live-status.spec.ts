import { liveStatus, offlineFrom } from './live-status';

describe('liveStatus', () => {
  const seen = new Date('2026-11-24T10:00:00.000Z');
  const after = 300_000;

  it('never checked in: never', () => {
    expect(liveStatus(null, seen, after)).toBe('never');
  });

  it('online until exactly the threshold, offline from it (ROOMTONE_APPLIANCE_OFFLINE_AFTER_SECONDS)', () => {
    expect(liveStatus(seen, new Date('2026-11-24T10:04:59.999Z'), after)).toBe('online');
    expect(liveStatus(seen, new Date('2026-11-24T10:05:00.000Z'), after)).toBe('offline');
    expect(offlineFrom(seen, after).toISOString()).toBe('2026-11-24T10:05:00.000Z');
  });

  it('a last check-in stamped after now (another hub slightly ahead) is online, not negative silence', () => {
    expect(liveStatus(new Date('2026-11-24T10:00:01.000Z'), seen, after)).toBe('online');
  });
});
