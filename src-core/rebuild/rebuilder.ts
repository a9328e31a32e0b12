import type { Clock } from '../clock/clock';
import type { CatalystConfig } from '../config/config';
import type { EventRecord, StoredEvent } from '../events/types';
import { isCorruptEvent } from '../events/types';
import type { ReducerDefinition } from './types';
import type { EventReader, LeanEvent, Snapshot, SnapshotStore } from '../store/types';
import { snapshotChecksumMatches } from '../store/snapshot-checksum';
import { diff } from './diff';
import { stateShapeProblem } from './snapshot-shape';
import { foldRecords, type FoldStart, type FoldStep, type UpcastSource } from './fold';
import { type ReducerRegistry } from './reducer-registry';
import type {
  RebuildAllOptions,
  RebuildOptions,
  RebuildResult,
  RebuildSteps,
  RebuildStep,
  SnapshotOutcome,
  StepsOptions,
  VerifyOptions,
  VerifyResult,
} from './types';

/** Default tolerance for verify: float P&L computed two ways agrees to far better than this. */
export const VERIFY_TOLERANCE = 1e-9;

interface Plan<S> {
  start: FoldStart<S, LeanEvent>;
  records: Iterable<EventRecord | LeanEvent>;
  /** The records may be lean (the reducer declared leanEvents): the last one is read again whole. */
  lean: boolean;
  /** What the fold upcasts with: none when no schema has an upcaster. */
  upcaster: UpcastSource | undefined;
  snapshot: SnapshotOutcome;
  /** Sequence of a trusted snapshot that a new one must move past (0: none to keep). */
  snapshotFloor: number;
}

function checkPoint(name: string, value: number | undefined): void {
  if (value !== undefined && Number.isNaN(value)) throw new RangeError(`${name} must be a number, got NaN`);
}

/**
 * Reconstructs aggregate state by folding its events through the plugin's reducer, from
 * the latest trustworthy snapshot when there is one, at any point in its history.
 */
export class Rebuilder {
  constructor(
    private readonly reader: EventReader,
    private readonly snapshots: SnapshotStore,
    private readonly reducers: ReducerRegistry,
    // Optional so a bare container (a tool, a test) can rebuild without schemas: no upcasting then.
    private readonly schemas: UpcastSource | undefined,
    private readonly config: Pick<CatalystConfig, 'snapshots'>,
    private readonly clock: Clock,
  ) {}

  /**
   * The aggregate's state now, or as of a sequence number or a time. An aggregate without
   * events has its initial state, version 0 and `exists: false`. Unknown aggregate type:
   * UnknownTypeError.
   */
  async rebuild<S = unknown>(aggregateType: string, aggregateId: string, options: RebuildOptions = {}): Promise<RebuildResult<S>> {
    checkPoint('asOfSequence', options.asOfSequence);
    checkPoint('asOfTime', options.asOfTime);
    const reducer = this.reducers.require(aggregateType) as ReducerDefinition<S>;
    let plan = await this.plan(reducer, aggregateId, options, true);
    let folded = foldRecords(reducer, plan.start, plan.records, { upcaster: plan.upcaster });
    let lastEvent = folded.lastEvent as StoredEvent | null;
    if (plan.lean && folded.lastEvent !== null) {
      lastEvent = await this.wholeEvent(aggregateType, aggregateId, folded.lastEvent);
      if (lastEvent === null) {
        // Not found whole (a row without a position, which the whole read skips): fold whole rows.
        plan = await this.plan(reducer, aggregateId, options, false);
        folded = foldRecords(reducer, plan.start, plan.records, { upcaster: plan.upcaster });
        lastEvent = folded.lastEvent as StoredEvent | null;
      }
    }
    const result: RebuildResult<S> = {
      aggregateType,
      aggregateId,
      state: folded.state,
      version: folded.version,
      exists: lastEvent !== null,
      lastEvent,
      eventsApplied: folded.eventsApplied,
      fromSnapshot: plan.snapshot.used,
      snapshot: plan.snapshot,
      anomalies: folded.anomalies,
      corrupt: folded.corrupt,
    };
    this.maybeSnapshot(reducer, result, plan.snapshotFloor);
    return result;
  }

  /** Every step of the aggregate's history (or a sequence range of it), for replay UIs. */
  async steps<S = unknown>(aggregateType: string, aggregateId: string, options: StepsOptions = {}): Promise<RebuildSteps<S>> {
    const reducer = this.reducers.require(aggregateType) as ReducerDefinition<S>;
    const from = Math.max(1, options.fromSequence ?? 1);
    let start: FoldStart<S>;
    if (from > 1) {
      const base = await this.rebuild<S>(aggregateType, aggregateId, { asOfSequence: from - 1 });
      start = { state: base.state, version: base.version, lastEvent: base.lastEvent };
    } else {
      start = { state: structuredClone(reducer.initialState(aggregateId)), version: 0, lastEvent: null };
    }
    const records = await this.reader.readAggregate(aggregateType, aggregateId, {
      fromSequence: from,
      ...(options.toSequence !== undefined ? { toSequence: options.toSequence } : {}),
    });
    const steps: RebuildStep<S>[] = [];
    const onStep = (step: FoldStep<S>): void => {
      steps.push({ index: steps.length, ...step, diff: diff(step.before, step.after) });
    };
    // The gap check starts from the sequence just before the range.
    const folded = foldRecords(reducer, { ...start, version: from - 1 }, records, { upcaster: this.upcaster(), onStep });
    return {
      aggregateType,
      aggregateId,
      initial: start.state,
      steps,
      anomalies: folded.anomalies,
      corrupt: folded.corrupt,
    };
  }

  /**
   * Rebuilds every aggregate of a type, one at a time (memory stays flat), writing snapshots
   * as rebuild does. onProgress first reports `done: 0` with the total, then once per aggregate.
   */
  async *rebuildAll<S = unknown>(aggregateType: string, options: RebuildAllOptions = {}): AsyncGenerator<RebuildResult<S>> {
    this.reducers.require(aggregateType);
    const pageSize = Math.max(1, options.pageSize ?? 1000);
    const ids: string[] = [];
    for (let afterId: string | undefined; ;) {
      const page = await this.reader.listAggregates({ aggregateType, limit: pageSize, ...(afterId !== undefined ? { afterId } : {}) });
      for (const summary of page) ids.push(summary.aggregate_id);
      if (page.length < pageSize) break;
      afterId = page[page.length - 1]!.aggregate_id;
    }
    const total = ids.length;
    options.onProgress?.({ aggregateType, aggregateId: null, done: 0, total });
    let done = 0;
    for (const aggregateId of ids) {
      const result = await this.rebuild<S>(aggregateType, aggregateId);
      done++;
      options.onProgress?.({ aggregateType, aggregateId, done, total });
      yield result;
    }
  }

  /** Compares the rebuilt current state with the bot's live state; numbers within a tiny tolerance. */
  async verify<S = unknown>(
    aggregateType: string,
    aggregateId: string,
    liveState: unknown,
    options: VerifyOptions = {},
  ): Promise<VerifyResult<S>> {
    const rebuild = await this.rebuild<S>(aggregateType, aggregateId);
    const differences = diff(rebuild.state, liveState, {
      absoluteTolerance: options.absoluteTolerance ?? VERIFY_TOLERANCE,
      relativeTolerance: options.relativeTolerance ?? VERIFY_TOLERANCE,
    }).map((d) => ({ path: d.path, rebuilt: d.before, live: d.after }));
    return { equal: differences.length === 0, differences, rebuild };
  }

  // ------------------------------------------------------------------ internals

  /** Decides where to start folding: a snapshot it can trust, else the initial state. */
  private async plan<S>(
    reducer: ReducerDefinition<S>,
    aggregateId: string,
    options: RebuildOptions,
    leanIfDeclared: boolean,
  ): Promise<Plan<S>> {
    const type = reducer.aggregateType;
    const { asOfSequence, asOfTime } = options;
    const range = {
      ...(asOfSequence !== undefined ? { toSequence: asOfSequence } : {}),
      ...(asOfTime !== undefined ? { untilTime: asOfTime } : {}),
    };
    const outcome: SnapshotOutcome = { found: false, used: false, ignored: null, written: false };
    let floor = 0;
    let snapshot: Snapshot | null = null;
    try {
      snapshot = await this.snapshots.loadSnapshot(type, aggregateId);
    } catch {
      outcome.found = true;
      outcome.ignored = 'unreadable';
    }
    if (snapshot) {
      outcome.found = true;
      const at = snapshot.last_sequence_number;
      if (snapshot.reducer_version !== reducer.version) {
        outcome.ignored = 'reducer_version';
      } else if (!snapshotChecksumMatches(snapshot)) {
        // A snapshot proves its state or is not used: the events give the state instead.
        outcome.ignored = 'checksum';
      } else if (stateShapeProblem(snapshot.state, reducer.initialState(aggregateId)) !== null) {
        outcome.ignored = 'state_shape';
      } else if (!Number.isSafeInteger(at) || at < 1) {
        outcome.ignored = 'last_event_mismatch';
      } else if (asOfSequence !== undefined && at > asOfSequence) {
        outcome.ignored = 'after_as_of';
        floor = at;
      } else {
        // One read serves both the check of the snapshot's last event and the events after it.
        const records = await this.reader.readAggregate(type, aggregateId, { ...range, fromSequence: at });
        const first = records[0];
        if (first && !isCorruptEvent(first) && first.sequence_number === at && first.event_id === snapshot.last_event_id) {
          outcome.used = true;
          floor = at;
          return {
            start: { state: structuredClone(snapshot.state as S), version: at, lastEvent: this.upcastQuietly(first) },
            records: records.slice(1),
            lean: false,
            upcaster: this.upcaster(),
            snapshot: outcome,
            snapshotFloor: floor,
          };
        }
        outcome.ignored = await this.whyNotUsable(type, aggregateId, snapshot, asOfTime);
        if (outcome.ignored === 'after_as_of') floor = at;
      }
    }
    // From the start, a long history streams through the fold where the store can stream it,
    // lean when the reducer reads no metadata (but the upcasters' types) and no position.
    // A store that cannot stream (PostgreSQL, archive segments) reads whole rows.
    const upcastTypes = this.upcastTypes();
    const declared = leanIfDeclared && reducer.leanEvents === true && upcastTypes !== null;
    let records: Iterable<EventRecord | LeanEvent>;
    let lean = false;
    if (typeof this.reader.streamAggregate !== 'function') {
      records = await this.reader.readAggregate(type, aggregateId, range);
    } else if (declared) {
      lean = true;
      records = this.reader.streamAggregate(type, aggregateId, range, { lean, metadataTypes: upcastTypes });
    } else {
      records = this.reader.streamAggregate(type, aggregateId, range);
    }
    return {
      start: { state: structuredClone(reducer.initialState(aggregateId)), version: 0, lastEvent: null },
      records,
      lean,
      upcaster: upcastTypes?.length === 0 ? undefined : this.schemas,
      snapshot: outcome,
      snapshotFloor: floor,
    };
  }

  /**
   * Event types the schemas can upcast: [] when there is nothing to upcast (the fold skips
   * the call), null when the schemas cannot say which (every event keeps its metadata).
   */
  private upcastTypes(): readonly string[] | null {
    const schemas = this.schemas;
    if (typeof schemas?.upcast !== 'function') return [];
    return typeof schemas.upcastTypes === 'function' ? schemas.upcastTypes() : null;
  }

  private upcaster(): UpcastSource | undefined {
    return this.upcastTypes()?.length === 0 ? undefined : this.schemas;
  }

  /** A lean fold's last event, read whole and upcast as the fold would have; null when not found whole. */
  private async wholeEvent(type: string, id: string, lean: LeanEvent): Promise<StoredEvent | null> {
    const at = lean.sequence_number;
    const records = await this.reader.readAggregate(type, id, { fromSequence: at, toSequence: at });
    // A seed-written file may lack the unique (aggregate, sequence) index: match the id too.
    const whole = records.find((r): r is StoredEvent => !isCorruptEvent(r) && r.event_id === lean.event_id);
    return whole ? this.upcastQuietly(whole) : null;
  }

  /** The snapshot's last event as the fold would have seen it (as stored if upcasting fails). */
  private upcastQuietly(event: StoredEvent): StoredEvent {
    if (typeof this.schemas?.upcast !== 'function') return event;
    try {
      return this.schemas.upcast(event);
    } catch {
      return event;
    }
  }

  /** The snapshot's event was not in the time-bounded read: later than asked, or not the same event. */
  private async whyNotUsable(
    type: string,
    id: string,
    snapshot: Snapshot,
    asOfTime: number | undefined,
  ): Promise<'after_as_of' | 'last_event_mismatch'> {
    if (asOfTime === undefined) return 'last_event_mismatch';
    const at = snapshot.last_sequence_number;
    const [event] = await this.reader.readAggregate(type, id, { fromSequence: at, toSequence: at });
    const matches = event !== undefined && !isCorruptEvent(event) && event.event_id === snapshot.last_event_id;
    return matches && event.created_at > asOfTime ? 'after_as_of' : 'last_event_mismatch';
  }

  /**
   * Policy: every N events past the last trusted snapshot. Never past an anomaly or a corrupt
   * row (so every later rebuild still reports them), never behind a newer trusted snapshot,
   * and never on a read-only store. A failed write costs only the snapshot.
   */
  private maybeSnapshot<S>(reducer: ReducerDefinition<S>, result: RebuildResult<S>, floor: number): void {
    const every = reducer.snapshotEvery ?? this.config.snapshots.every;
    const last: StoredEvent | null = result.lastEvent;
    if (!this.snapshots.canWriteSnapshots || every <= 0 || !last) return;
    if (result.anomalies.length > 0 || result.corrupt.length > 0) return;
    if (result.version - floor < every) return;
    try {
      this.snapshots.saveSnapshot({
        aggregate_type: result.aggregateType,
        aggregate_id: result.aggregateId,
        state: result.state,
        reducer_version: reducer.version,
        last_event_id: last.event_id,
        last_sequence_number: last.sequence_number,
        created_at: this.clock.now(),
      });
      result.snapshot.written = true;
    } catch (error) {
      result.snapshot.writeError = error instanceof Error ? error.message : String(error);
    }
  }
}
