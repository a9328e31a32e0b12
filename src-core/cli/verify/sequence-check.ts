export interface SequenceProblem {
  aggregate_type: string;
  aggregate_id: string;
  kind: 'gap' | 'duplicate' | 'no_sequence';
  /** e.g. `missing 3..4`, `7 appears 2 times` */
  detail: string;
  /** Event ids involved (duplicates and rows without a sequence number). */
  event_ids: string[];
}

interface Seen {
  type: string;
  id: string;
  sequences: number[];
  ids: Map<number, string[]>;
  unnumbered: string[];
}

/**
 * Collects sequence numbers per aggregate in any order, then reports gaps (a number missing
 * from 1..max), duplicates and rows with no number. Pure: fed by the caller's one pass.
 */
export class SequenceChecker {
  private readonly byAggregate = new Map<string, Seen>();

  add(aggregateType: string, aggregateId: string, sequence: number | null, eventId: string): void {
    const key = `${aggregateType}\u0000${aggregateId}`;
    let seen = this.byAggregate.get(key);
    if (!seen) {
      seen = { type: aggregateType, id: aggregateId, sequences: [], ids: new Map(), unnumbered: [] };
      this.byAggregate.set(key, seen);
    }
    if (sequence === null || !Number.isSafeInteger(sequence) || sequence < 1) {
      seen.unnumbered.push(eventId);
      return;
    }
    seen.sequences.push(sequence);
    const ids = seen.ids.get(sequence);
    if (ids) ids.push(eventId);
    else seen.ids.set(sequence, [eventId]);
  }

  get aggregateCount(): number {
    return this.byAggregate.size;
  }

  aggregates(): { aggregateType: string; aggregateId: string }[] {
    return [...this.byAggregate.values()].map((s) => ({ aggregateType: s.type, aggregateId: s.id }));
  }

  problems(): SequenceProblem[] {
    const out: SequenceProblem[] = [];
    for (const seen of this.byAggregate.values()) {
      const base = { aggregate_type: seen.type, aggregate_id: seen.id };
      if (seen.unnumbered.length > 0) {
        out.push({ ...base, kind: 'no_sequence', detail: `${seen.unnumbered.length} event(s) without a sequence number`, event_ids: seen.unnumbered });
      }
      const sorted = [...new Set(seen.sequences)].sort((a, b) => a - b);
      let expected = 1;
      for (const n of sorted) {
        if (n > expected) {
          out.push({ ...base, kind: 'gap', detail: n - 1 === expected ? `missing ${expected}` : `missing ${expected}..${n - 1}`, event_ids: [] });
        }
        expected = n + 1;
      }
      for (const n of sorted) {
        const ids = seen.ids.get(n)!;
        if (ids.length > 1) out.push({ ...base, kind: 'duplicate', detail: `${n} appears ${ids.length} times`, event_ids: ids });
      }
    }
    return out;
  }
}
