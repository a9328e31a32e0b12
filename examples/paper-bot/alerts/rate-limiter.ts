/** A sliding-window limit per key (ticker): at most `limit` alerts per `windowSeconds`. */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  /** Records the hit and returns true when it is within the limit; false (not recorded) when over it. */
  allow(key: string, now: number): boolean {
    const since = now - this.windowSeconds * 1000;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return true;
  }
}
