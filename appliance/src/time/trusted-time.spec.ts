import { ManualClocks } from './clocks';
import { type HubTimeSample, type PlausibleWindow, TrustedTime } from './trusted-time';

const T0 = Date.parse('2026-03-29T00:30:00Z');
const MIN = 60_000;

function setup(options: { hub?: HubTimeSample | null; window?: PlausibleWindow | null; wall?: number } = {}) {
  const clocks = new ManualClocks(options.wall ?? T0, 10_000);
  let hub = options.hub ?? null;
  const window =
    options.window === undefined ? { compiledAtMs: T0 - 60 * MIN, untilMs: T0 + 14 * 1440 * MIN } : options.window;
  const time = new TrustedTime({
    wall: clocks.wall,
    monotonic: clocks.monotonic,
    hubTime: () => hub,
    plausible: () => window,
  });
  return { clocks, time, setHub: (h: HubTimeSample) => (hub = h) };
}

describe('TrustedTime', () => {
  it('signed hub time + monotonic elapsed: a wall clock within 5 minutes is used as is', () => {
    const { clocks, time } = setup({ hub: { hubTimeMs: T0 - 2 * MIN, monotonicMs: 10_000 } });
    clocks.advance(30_000);
    const v = time.now();
    expect(v).toMatchObject({ trusted: true, basis: 'wall', nowMs: T0 + 30_000, wallSkewMs: 2 * MIN });
  });

  it('a wall clock more than 5 minutes off the hub time is overruled (hub time + elapsed)', () => {
    const { clocks, time } = setup({ hub: { hubTimeMs: T0, monotonicMs: 10_000 } });
    clocks.advance(60_000);
    clocks.jumpWall(-3 * 3_600_000); // someone set the clock back three hours
    const v = time.now();
    expect(v).toMatchObject({ trusted: true, basis: 'hub', nowMs: T0 + 60_000 });
    expect(v.trusted && v.note).toMatch(/180 min behind the signed hub time/);
  });

  it("no hub time ever: a wall clock inside the plan's [compiledAt, until) is used, then anchored against jumps", () => {
    const { clocks, time } = setup();
    expect(time.now()).toMatchObject({ trusted: true, basis: 'wall', nowMs: T0 });
    clocks.advance(5_000);
    clocks.jumpWall(24 * 3_600_000); // the RTC jumps a day ahead
    expect(time.now()).toMatchObject({ trusted: true, basis: 'anchored-wall', nowMs: T0 + 5_000 });
  });

  it('no hub time ever and a wall clock before the plan was compiled: untrusted, with the reason', () => {
    const { time } = setup({ wall: Date.parse('2000-01-01T00:00:00Z') });
    const v = time.now();
    expect(v.trusted).toBe(false);
    expect(!v.trusted && v.reason).toMatch(/outside the plan's \[compiledAt .*connect the appliance to the network/);
  });

  it('no hub time and no plan: untrusted', () => {
    const { time } = setup({ window: null });
    expect(time.now()).toMatchObject({ trusted: false, reason: expect.stringMatching(/no plan/) });
  });

  it('a newer hub sample replaces an anchored wall clock', () => {
    const { clocks, time, setHub } = setup();
    time.now();
    clocks.advance(1_000);
    setHub({ hubTimeMs: T0 + 3_600_000, monotonicMs: clocks.monoMs });
    clocks.advance(1_000);
    expect(time.now()).toMatchObject({ basis: 'hub', nowMs: T0 + 3_600_000 + 1_000 });
  });
});
