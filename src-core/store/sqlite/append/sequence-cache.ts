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
    const ids = this.byType.get(type);
    if (ids?.has(id)) ids.set(id, sequence);
    else this.add(type, id, sequence);
  }

  /**
   * The aggregate's next sequence number, recorded as its last: the cached one + 1, or the
   * file's (`read`) + 1 when it is not cached. One lookup per map on an append's hot path.
   */
  advance(type: string, id: string, read: (type: string, id: string) => number): number {
    const ids = this.byType.get(type);
    const last = ids?.get(id);
    if (last !== undefined) {
      ids!.set(id, last + 1);
      return last + 1;
    }
    const sequence = read(type, id) + 1;
    this.add(type, id, sequence);
    return sequence;
  }

  /** An aggregate not cached yet; past the limit the cache starts over first. */
  private add(type: string, id: string, sequence: number): void {
    if (this.count >= this.limit) this.clear();
    let ids = this.byType.get(type);
    if (ids === undefined) this.byType.set(type, (ids = new Map<string, number>()));
    ids.set(id, sequence);
    this.count++;
  }

  delete(type: string, id: string): void {
    const ids = this.byType.get(type);
    if (ids?.delete(id)) this.count--;
  }

  clear(): void {
    this.byType.clear();
    this.count = 0;
  }
}
