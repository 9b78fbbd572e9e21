/**
 * The source of "now". Inject it (`constructor(private clock: Clock)`) instead of calling `new Date()` or
 * `Date.now()`, so that tests can pin time and schedule/expiry rules can be checked at exact instants.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The real wall clock. */
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to: for tests. */
export class FixedClock extends Clock {
  private current: number;

  constructor(start: Date | string) {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
