import type { CorruptEvent, StoredEvent } from '../events/types';
import type { DiffEntry } from './diff';

/** A pure fold for one aggregate type. */
export interface ReducerDefinition<S = unknown> {
  /** The aggregate type it folds; a type has exactly one reducer. */
  aggregateType: string;
  /** Bump when the fold changes: snapshots taken with another version are ignored. */
  version: number;
  /**
   * The state before the aggregate's first event (the rebuilder folds a copy of it). A
   * snapshot is used only if its state has this state's JSON kind and keys.
   */
  initialState(aggregateId: string): S;
  /**
   * Must be pure and must not throw: an event it cannot apply is recorded as an anomaly
   * on the returned state. (The rebuilder still guards against a throw.)
   */
  reduce(state: S, event: StoredEvent): S;
  /**
   * Optional: true declares that `reduce` reads no event's `metadata` and no `position`. A
   * rebuild then reads neither column (the costliest of a long history) and hands `reduce`
   * LeanEvents; the result's `lastEvent` is still read whole. Events of types with upcasters
   * keep their metadata (the upcaster reads its version). Type the fold's event parameter as
   * `LeanEvent` (the built-in reducers do) and the compiler checks it reads neither; live state
   * still gets whole events, which a LeanEvent parameter accepts.
   */
  leanEvents?: boolean;
  /**
   * Optional, for archiving: true when the aggregate has ended for good in this state (a
   * closed position, a terminal order). `archive` moves such an aggregate whole once its last
   * event is old enough; without the hint an aggregate is long-lived (archived up to a snapshot).
   */
  isTerminal?(state: S): boolean;
  /**
   * Optional: snapshot this aggregate type every N events instead of the config's
   * `snapshots.every` — for aggregates that live for ever (a risk book), so a rebuild folds
   * at most about N events past its snapshot.
   */
  snapshotEvery?: number;
}

/** Where to stop folding. Neither: the current state. Both: whichever point comes first. */
export interface RebuildOptions {
  /** Fold events with sequence_number <= asOfSequence. */
  asOfSequence?: number;
  /**
   * Fold events with created_at <= asOfTime (Unix ms). A snapshot serves when its last event
   * is at or before asOfTime; that assumes an aggregate's times rise with its sequence (one
   * clock per writer). If a clock stepped back, the skipped event shows as a sequence_gap.
   */
  asOfTime?: number;
}

/** Something the rebuilder itself noticed while folding; the reducer's own anomalies live on its state. */
export interface RebuildAnomaly {
  event_id: string;
  sequence_number: number;
  event_type: string;
  kind: 'reducer_threw' | 'upcast_failed' | 'sequence_gap';
  reason: string;
}

/** Why a stored snapshot was not used (null: used, or there was none). */
export type SnapshotIgnoredReason =
  | 'reducer_version'
  /** No checksum, or one that does not match its state and last event: edited, torn or moved. */
  | 'checksum'
  /** The state is not of the reducer's shape (another kind of JSON value, or keys missing). */
  | 'state_shape'
  | 'last_event_mismatch'
  | 'after_as_of'
  | 'unreadable';

/** What became of the aggregate's snapshot in one rebuild. */
export interface SnapshotOutcome {
  /** A snapshot existed for the aggregate. */
  found: boolean;
  /** The fold started from it. */
  used: boolean;
  /** Why it was not used; null when it was, or when there was none. */
  ignored: SnapshotIgnoredReason | null;
  /** A new snapshot was written after this rebuild. */
  written: boolean;
  /** Why writing failed (a busy file, say); the rebuild itself still succeeded. */
  writeError?: string;
}

/** An aggregate's state as {@link Rebuilder.rebuild} folded it, and how it got there. */
export interface RebuildResult<S = unknown> {
  aggregateType: string;
  aggregateId: string;
  /** The folded state (the initial state when the aggregate has no events). */
  state: S;
  /** Sequence number of the last event applied; 0 when none. */
  version: number;
  /** The aggregate has at least one event at or before the requested point. */
  exists: boolean;
  /** The event the state stands at (upcast, as the reducer saw it); null when none. */
  lastEvent: StoredEvent | null;
  /** Events folded in this run (not counting those covered by a snapshot). */
  eventsApplied: number;
  /** Same as `snapshot.used`. */
  fromSnapshot: boolean;
  snapshot: SnapshotOutcome;
  /** What the rebuilder noticed while folding; the reducer's own anomalies are on `state`. */
  anomalies: RebuildAnomaly[];
  /** Rows whose JSON did not parse: skipped and reported, never thrown. */
  corrupt: CorruptEvent[];
}

/** One event of a replay: the state before and after it, and what changed. */
export interface RebuildStep<S = unknown> {
  /** 0-based position among the steps. */
  index: number;
  /** The event as the reducer saw it (upcast). */
  event: StoredEvent;
  /** The state before the event; later steps never change it (each event is reduced on a copy). */
  before: S;
  /** The state after the event (`before`, when `anomaly` is set). */
  after: S;
  /** What the event changed, from `before` to `after`. */
  diff: DiffEntry[];
  /** Set when the rebuilder could not apply the event (state kept). */
  anomaly: RebuildAnomaly | null;
}

/** Which sequence range {@link Rebuilder.steps} replays (inclusive; default the whole history). */
export interface StepsOptions {
  /** First sequence to produce a step for (the state before it is rebuilt, snapshots allowed). */
  fromSequence?: number;
  /** Last sequence to produce a step for. */
  toSequence?: number;
}

/** An aggregate's history (or a range of it) event by event, from {@link Rebuilder.steps}, for replay UIs. */
export interface RebuildSteps<S = unknown> {
  aggregateType: string;
  aggregateId: string;
  /** The state before the first step. */
  initial: S;
  /** One per event in the range, in sequence order. */
  steps: RebuildStep<S>[];
  /** Everything the rebuilder noticed in the range, sequence gaps included (a step's `anomaly` holds only its own failure). */
  anomalies: RebuildAnomaly[];
  /** Rows in the range whose JSON did not parse: skipped, no step. */
  corrupt: CorruptEvent[];
}

/** A progress report of {@link Rebuilder.rebuildAll}. */
export interface RebuildProgress {
  aggregateType: string;
  /** The aggregate just finished; null in the first report (done: 0), sent before any work. */
  aggregateId: string | null;
  /** Aggregates finished so far, this one included. */
  done: number;
  /** Aggregates of the type, counted before the first rebuild. */
  total: number;
}

/** Options of {@link Rebuilder.rebuildAll}. */
export interface RebuildAllOptions {
  /** Called with `done: 0` before any work, then once after each aggregate. */
  onProgress?: (progress: RebuildProgress) => void;
  /** Aggregates listed per query (default 1000). */
  pageSize?: number;
}

/** One place where the rebuilt state and the live one differ. */
export interface VerifyDifference {
  /** JSON path, `$` for the root. */
  path: string;
  /** The value in the rebuilt state; undefined when absent there. */
  rebuilt: unknown;
  /** The value in the live state; undefined when absent there. */
  live: unknown;
}

/** Options of {@link Rebuilder.verify}. */
export interface VerifyOptions {
  /** Numbers within max(absolute, relative * max(|a|, |b|)) are equal. Defaults 1e-9 both. */
  absoluteTolerance?: number;
  /** See `absoluteTolerance`. */
  relativeTolerance?: number;
}

/** What {@link Rebuilder.verify} found. */
export interface VerifyResult<S = unknown> {
  /** True when there are no differences. */
  equal: boolean;
  differences: VerifyDifference[];
  /** The rebuild of the current state that was compared. */
  rebuild: RebuildResult<S>;
}
