/** Where time comes from. Injected so a simulated bot can write simulated times. */
export interface Clock {
  /** Unix ms, UTC. */
  now(): number;
}

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
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
