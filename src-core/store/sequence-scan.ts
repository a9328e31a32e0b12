import type { SequenceProblem } from './types';

/** A problem found by the scan; the backend fills in the event ids it involves afterwards. */
export interface PendingProblem extends Omit<SequenceProblem, 'event_ids'> {
  /** Which rows to list: those with this sequence number (duplicate), or the unnumbered ones. */
  sequence: number | null;
  /** The `group` the rows were fed with. */
  group: string;
}

const isNumbered = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;

/**
 * Gaps, duplicates and unnumbered rows, from rows fed in (aggregate, sequence) order — the
 * order of the unique index, so a backend streams it. State is one aggregate's; what is kept
 * is the problems (and the count of aggregates), never the events.
 */
export class SequenceScan {
  aggregates = 0;
  private readonly found: PendingProblem[] = [];
  private key: string | null = null;
  private type = '';
  private id = '';
  private group = '';
  private last = 0;
  private repeats = 0;
  private unnumbered = 0;
  private gaps: PendingProblem[] = [];
  private dups: PendingProblem[] = [];

  /** `group` separates aggregates that share type and id (e.g. PostgreSQL's sources). */
  add(aggregateType: string, aggregateId: string, sequence: unknown, group = ''): void {
    const key = `${group}\u0000${aggregateType}\u0000${aggregateId}`;
    if (key !== this.key) {
      this.close();
      this.key = key;
      this.type = aggregateType;
      this.id = aggregateId;
      this.group = group;
      this.aggregates++;
    }
    if (!isNumbered(sequence)) {
      this.unnumbered++;
      return;
    }
    if (sequence === this.last) {
      this.repeats++;
      return;
    }
    this.closeRepeats();
    if (sequence > this.last + 1) {
      const missing = { from: this.last + 1, to: sequence - 1 };
      const detail = missing.to === missing.from ? `missing ${missing.from}` : `missing ${missing.from}..${missing.to}`;
      this.gaps.push({ aggregate_type: aggregateType, aggregate_id: aggregateId, kind: 'gap', detail, missing, sequence: null, group });
    }
    this.last = sequence;
  }

  finish(): PendingProblem[] {
    this.close();
    this.key = null;
    return this.found;
  }

  private closeRepeats(): void {
    if (this.repeats > 0) {
      this.dups.push({
        aggregate_type: this.type,
        aggregate_id: this.id,
        kind: 'duplicate',
        detail: `${this.last} appears ${this.repeats + 1} times`,
        sequence: this.last,
        group: this.group,
      });
    }
    this.repeats = 0;
  }

  private close(): void {
    if (this.key === null) return;
    this.closeRepeats();
    if (this.unnumbered > 0) {
      this.found.push({
        aggregate_type: this.type,
        aggregate_id: this.id,
        kind: 'no_sequence',
        detail: `${this.unnumbered} event(s) without a sequence number`,
        sequence: null,
        group: this.group,
      });
    }
    this.found.push(...this.gaps, ...this.dups);
    this.gaps = [];
    this.dups = [];
    this.last = 0;
    this.unnumbered = 0;
  }
}
