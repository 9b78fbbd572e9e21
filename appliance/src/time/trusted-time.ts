import { type MonotonicClock, type WallClock } from './clocks';

/** How far the wall clock may differ from the trusted time before it is overruled. */
export const MAX_WALL_SKEW_MS = 5 * 60_000;

/** The signed hub time of the last check-in and the monotonic instant it was received (HubLinkPort.lastHubTime()). */
export interface HubTimeSample {
  hubTimeMs: number;
  monotonicMs: number;
}

/** What the plan says about plausible instants: it was compiled at `compiledAtMs` and is good until `untilMs`. */
export interface PlausibleWindow {
  compiledAtMs: number;
  untilMs: number;
}

/** The time the appliance acts on, or why it has none. */
export type TimeVerdict =
  | {
      trusted: true;
      nowMs: number;
      /** 'hub': signed hub time + monotonic elapsed; 'wall': the wall clock (agreeing with the anchor, if any). */
      basis: 'hub' | 'wall' | 'anchored-wall';
      /** Wall clock minus the anchor-derived time (0 without an anchor); > MAX_WALL_SKEW_MS: the wall clock lies. */
      wallSkewMs: number;
      note: string | null;
    }
  | {
      trusted: false;
      reason: string;
      /** The untrusted wall clock, for "since when" in status only. */ wallMs: number;
    };

export interface TrustedTimeDeps {
  wall: WallClock;
  monotonic: MonotonicClock;
  /** Latest signed hub time known to this process, if any. */
  hubTime: () => HubTimeSample | null;
  /** The plan's window, for judging a wall clock with no hub time to compare it with (null: no plan). */
  plausible: () => PlausibleWindow | null;
}

interface Anchor {
  timeMs: number;
  monotonicMs: number;
  basis: 'hub' | 'anchored-wall';
}

/**
 * The appliance's idea of "now" (appliance/src/time/README.md has the policy). An anchor is a trusted instant paired
 * with the monotonic clock: the signed hub time of the last check-in, or, before any hub time, the first wall-clock
 * reading the plan found plausible. Trusted time = anchor + monotonic elapsed. The wall clock is used while it agrees
 * with that within five minutes (it follows NTP's small corrections); beyond, it has jumped or drifted and the
 * anchor-derived time is used instead. With no anchor at all, the wall clock is used only if the plan agrees with it.
 */
export class TrustedTime {
  private anchor: Anchor | undefined;

  constructor(private readonly deps: TrustedTimeDeps) {}

  /** Evaluates "now"; cheap, called on every tick. */
  now(): TimeVerdict {
    const wallMs = this.deps.wall.nowMs();
    const monoMs = this.deps.monotonic.nowMs();
    const hub = this.deps.hubTime();
    // A hub sample from this process (monotonic instant not in the future) beats any wall-clock anchor.
    if (
      hub &&
      hub.monotonicMs <= monoMs &&
      (!this.anchor || this.anchor.basis !== 'hub' || hub.monotonicMs >= this.anchor.monotonicMs)
    ) {
      this.anchor = { timeMs: hub.hubTimeMs, monotonicMs: hub.monotonicMs, basis: 'hub' };
    }
    if (this.anchor) {
      const derived = this.anchor.timeMs + (monoMs - this.anchor.monotonicMs);
      const skew = wallMs - derived;
      if (Math.abs(skew) <= MAX_WALL_SKEW_MS) {
        return { trusted: true, nowMs: wallMs, basis: 'wall', wallSkewMs: skew, note: null };
      }
      const source = this.anchor.basis === 'hub' ? 'the signed hub time' : 'the wall clock at start-up';
      return {
        trusted: true,
        nowMs: derived,
        basis: this.anchor.basis,
        wallSkewMs: skew,
        note: `wall clock is ${formatSkew(skew)} ${source} + elapsed time: using the latter`,
      };
    }
    const window = this.deps.plausible();
    if (!window) {
      return { trusted: false, reason: 'no hub time yet and no plan to check the wall clock against', wallMs };
    }
    if (wallMs < window.compiledAtMs || wallMs >= window.untilMs) {
      return {
        trusted: false,
        reason:
          `no hub time yet and the wall clock (${new Date(wallMs).toISOString()}) is outside the plan's ` +
          `[compiledAt ${new Date(window.compiledAtMs).toISOString()}, until ${new Date(window.untilMs).toISOString()}): ` +
          'connect the appliance to the network or set the clock',
        wallMs,
      };
    }
    this.anchor = { timeMs: wallMs, monotonicMs: monoMs, basis: 'anchored-wall' };
    return {
      trusted: true,
      nowMs: wallMs,
      basis: 'wall',
      wallSkewMs: 0,
      note: 'no hub time yet: wall clock agrees with the plan',
    };
  }
}

function formatSkew(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${minutes} min ${ms > 0 ? 'ahead of' : 'behind'}`;
}
