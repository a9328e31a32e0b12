/**
 * Last sequence number per aggregate, by aggregate type, then id. Two lookups by strings the
 * event already holds (hashed once per string) instead of one by a key built per event:
 * concatenating the type and id made a new string to hash on every append.
 */
export class SequenceCache {
  private readonly byType = new Map<string, Map<string, number>>();
  private count = 0;

  constructor(
    /** Past this many aggregates the cache starts over (it is only a cache: the file has the truth). */
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.count;
  }

  get(type: string, id: string): number | undefined {
    return this.byType.get(type)?.get(id);
  }

  set(type: string, id: string, sequence: number): void {
    let ids = this.byType.get(type);
    if (ids === undefined || !ids.has(id)) {
      if (this.count >= this.limit) {
        this.clear();
        ids = undefined;
      }
      if (ids === undefined) this.byType.set(type, (ids = new Map<string, number>()));
      this.count++;
    }
    ids.set(id, sequence);
  }

  delete(type: string, id: string): void {
    const ids = this.byType.get(type);
    if (ids?.delete(id)) this.count--;
  }

  clear(): void {
    this.byType.clear();
    this.count = 0;
  }

  /** Every entry, type by type. */
  forEach(fn: (type: string, id: string, sequence: number) => void): void {
    for (const [type, ids] of this.byType) for (const [id, sequence] of ids) fn(type, id, sequence);
  }
}
