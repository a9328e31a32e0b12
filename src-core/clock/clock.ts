/** Where time comes from. Injected so a simulated bot can write simulated times. */
export interface Clock {
  /** Unix ms, UTC. */
  now(): number;
}

/** The wall clock (`Date.now()`): the default outside simulations and tests. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock a simulation or a test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: number = 0) {}
  now(): number {
    return this.current;
  }
  /** Sets the time to `ms` (Unix ms, UTC). Going back is allowed. */
  set(ms: number): void {
    this.current = ms;
  }
  /** Moves the time forward by `ms` milliseconds (negative moves it back). */
  advance(ms: number): void {
    this.current += ms;
  }
}
