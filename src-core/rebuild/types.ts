import type { CorruptEvent, StoredEvent } from '../events/types';
import type { DiffEntry } from './diff';

/** A pure fold for one aggregate type. */
export interface ReducerDefinition<S = unknown> {
  aggregateType: string;
  /** Bump when the fold changes: snapshots taken with another version are ignored. */
  version: number;
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

export interface SnapshotOutcome {
  /** A snapshot existed for the aggregate. */
  found: boolean;
  used: boolean;
  ignored: SnapshotIgnoredReason | null;
  /** A new snapshot was written after this rebuild. */
  written: boolean;
  /** Why writing failed (a busy file, say); the rebuild itself still succeeded. */
  writeError?: string;
}

export interface RebuildResult<S = unknown> {
  aggregateType: string;
  aggregateId: string;
  state: S;
  /** Sequence number of the last event applied; 0 when none. */
  version: number;
  /** The aggregate has at least one event at or before the requested point. */
  exists: boolean;
  lastEvent: StoredEvent | null;
  /** Events folded in this run (not counting those covered by a snapshot). */
  eventsApplied: number;
  fromSnapshot: boolean;
  snapshot: SnapshotOutcome;
  anomalies: RebuildAnomaly[];
  /** Rows whose JSON did not parse: skipped and reported, never thrown. */
  corrupt: CorruptEvent[];
}

export interface RebuildStep<S = unknown> {
  /** 0-based position among the steps. */
  index: number;
  event: StoredEvent;
  before: S;
  after: S;
  diff: DiffEntry[];
  /** Set when the rebuilder could not apply the event (state kept). */
  anomaly: RebuildAnomaly | null;
}

export interface StepsOptions {
  /** First sequence to produce a step for (the state before it is rebuilt, snapshots allowed). */
  fromSequence?: number;
  toSequence?: number;
}

export interface RebuildSteps<S = unknown> {
  aggregateType: string;
  aggregateId: string;
  /** The state before the first step. */
  initial: S;
  steps: RebuildStep<S>[];
  anomalies: RebuildAnomaly[];
  corrupt: CorruptEvent[];
}

export interface RebuildProgress {
  aggregateType: string;
  /** The aggregate just finished; null in the first report (done: 0), sent before any work. */
  aggregateId: string | null;
  /** Aggregates finished so far, this one included. */
  done: number;
  total: number;
}

export interface RebuildAllOptions {
  onProgress?: (progress: RebuildProgress) => void;
  /** Aggregates listed per query. */
  pageSize?: number;
}

export interface VerifyDifference {
  /** JSON path, `$` for the root. */
  path: string;
  rebuilt: unknown;
  live: unknown;
}

export interface VerifyOptions {
  /** Numbers within max(absolute, relative * max(|a|, |b|)) are equal. Defaults 1e-9 both. */
  absoluteTolerance?: number;
  relativeTolerance?: number;
}

export interface VerifyResult<S = unknown> {
  equal: boolean;
  differences: VerifyDifference[];
  rebuild: RebuildResult<S>;
}
