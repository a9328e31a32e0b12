/**
 * Deterministic, run-scoped ids. Every aggregate id starts with the run id, so two bots
 * (or two runs) can share one event file without ever writing to the same aggregate.
 */
export type IdKind = 'alert' | 'sig' | 'ord' | 'pos' | 'fill' | 'msg' | 'brk';

export class RunIds {
  private readonly counters = new Map<IdKind, number>();

  constructor(readonly runId: string) {}

  next(kind: IdKind): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${this.runId}-${kind}-${String(n).padStart(4, '0')}`;
  }

  /** The risk book is one aggregate per run. */
  riskBook(): string {
    return `${this.runId}-risk`;
  }

  /** So is the account (the portfolio aggregate). */
  account(): string {
    return `${this.runId}-account`;
  }
}

/** Run ids become id prefixes and file-friendly names: keep them short and plain. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
