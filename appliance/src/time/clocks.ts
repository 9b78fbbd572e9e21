import { performance } from 'node:perf_hooks';

/** Milliseconds on a clock that only moves forward at a steady rate and never jumps (performance.now()). */
export interface MonotonicClock {
  nowMs(): number;
}

/** The machine's wall clock (epoch ms): what the OS says, which may be wrong or jump. */
export interface WallClock {
  nowMs(): number;
}

export const systemMonotonicClock: MonotonicClock = { nowMs: () => performance.now() };
export const systemWallClock: WallClock = { nowMs: () => Date.now() };

/** A settable clock for tests: wall and monotonic time move together unless the wall clock is made to jump. */
export class ManualClocks {
  wallMs: number;
  monoMs: number;

  constructor(wallMs: number, monoMs = 1_000) {
    this.wallMs = wallMs;
    this.monoMs = monoMs;
  }

  readonly wall: WallClock = { nowMs: () => this.wallMs };
  readonly monotonic: MonotonicClock = { nowMs: () => this.monoMs };

  /** Time passes: both clocks move by `ms`. */
  advance(ms: number): void {
    this.wallMs += ms;
    this.monoMs += ms;
  }

  /** The wall clock is set (by a person, a bad RTC, NTP) without time passing. */
  jumpWall(ms: number): void {
    this.wallMs += ms;
  }
}
