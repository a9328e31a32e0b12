import type { Clock } from '../clock/clock';
import type { CatalystConfig } from '../config/config';
import type { ErrorReporter } from '../errors/reporter';
import { advanceScope } from '../causality/links';
import type { CausalContext, CausalScope } from '../causality/types';
import { ClosedError, isValidationError, QueueFullError, ValidationError } from '../errors';
import type { UuidV7Generator } from '../events/ids';
import type { NewEvent, PreparedEvent, StoredEvent } from '../events/types';
import { isPlainObject } from '../schema/json-safety';
import type { SchemaRegistry } from '../schema/schema-registry';
import { SEED_VERSION } from '../schema/upcast';
import type { EventWriter } from '../store/types';
import { ListenerSet } from './listener-set';
import { MetricsRecorder } from './metrics-recorder';
import { prepareEvent } from './prepare';
import { installShutdownFlush } from './shutdown-flush';
import type { EmitReceipt, Emitter, EmitterMetrics, EmitterMode, Listener } from './types';
import { committed, InlineBatchWriter, type BatchOutcome, type BatchWriter, type CommittedGroup } from './writer-thread/batch-writer';
import { ThreadBatchWriter } from './writer-thread/thread-batch-writer';

export { DEFAULT_SOURCE } from './prepare';

/**
 * Validate -> append (sync) or queue (buffered) -> notify listeners after commit.
 *
 * - sync: `emit` returns once the store committed the event (durable per the store's
 *   durability setting). Store errors (ConcurrencyError, StoreWriteError...) reach the caller.
 * - buffered: `emit` validates, resolves ids and queues in the bot's thread; a writer thread
 *   with its own connection (writer-thread/) writes the queue in one transaction when it
 *   reaches `batchSize` (handed over as soon as the running callback is done) or after
 *   `flushIntervalMs`, while the bot runs on, and reports each
 *   commit back (listeners run then, in the bot's thread). `flush()`, `close()`,
 *   SIGINT/SIGTERM and `beforeExit` wait for the disk. A store no second connection can share
 *   (in-memory, a wrapper) is written in the bot's thread instead. A full queue first flushes synchronously
 *   (backpressure); if that fails, `emit` throws QueueFullError. Nothing is dropped
 *   silently: a failed flush keeps the events queued and reports; `flush()` rethrows.
 *   `expected_version` is refused in buffered mode (ValidationError on that path): a
 *   conflict found at flush time could only be reported, never handled by the writer.
 *   An event the store refuses as a duplicate id with other content would block the queue
 *   forever; it (with the events emitted in the same emitBatch) is reported and set aside.
 * - Listeners run synchronously after commit, typed ones first, each inside a causal scope
 *   caused by the event (so events a listener emits link back to it). A listener that
 *   throws or rejects goes to the ErrorReporter; async listeners are never awaited.
 */
export class EventEmitter implements Emitter {
  readonly mode: EmitterMode;
  private readonly settings: CatalystConfig['emitter'];
  private readonly listeners = new ListenerSet();
  private readonly acceptedListeners = new Set<(event: PreparedEvent) => void>();
  private readonly recorder = new MetricsRecorder();
  /** Buffered mode: one group per emit/emitBatch call, oldest first, not yet sent to the writer. */
  private queue: PreparedEvent[][] = [];
  private queued = 0;
  /** Events of the batch being written. */
  private inFlight = 0;
  private writing = false;
  private notifying = 0;
  private writer: BatchWriter | null = null;
  private inline: InlineBatchWriter | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** A size flush for the writer thread, due once the running callback is done (see writeSoon). */
  private soon: NodeJS.Immediate | null = null;
  private flushing = false;
  private closed = false;
  private removeShutdownFlush: (() => void) | null = null;

  constructor(
    private readonly store: EventWriter,
    private readonly schemas: SchemaRegistry,
    private readonly causal: CausalContext,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
    private readonly reporter: ErrorReporter,
    config: CatalystConfig,
  ) {
    this.settings = config.emitter;
    this.mode = config.emitter.mode;
    if (this.mode === 'buffered' && this.settings.handleSignals) {
      this.removeShutdownFlush = installShutdownFlush(() => this.flushQuietly('shutdown'));
    }
  }

  emit(event: NewEvent): EmitReceipt {
    if (this.mode === 'sync') return this.emitAll([event])[0]!;
    // Buffered, one event: emitAll's path without its arrays (the hot path of a hooked bot).
    if (this.closed) throw new ClosedError('emitter');
    const scope = this.causal.current();
    const prepared = this.prepare(event, scope, scope?.lastEventId ?? null);
    const group = [prepared];
    this.enqueue(group);
    this.accepted(scope, group);
    return receipt(prepared, undefined);
  }

  emitBatch(events: readonly NewEvent[]): EmitReceipt[] {
    if (!Array.isArray(events)) throw new TypeError('emitBatch expects an array of events');
    return events.length === 0 ? [] : this.emitAll(events);
  }

  flush(): void {
    if (this.mode === 'sync' || this.flushing) return;
    this.flushing = true;
    let failure: { error: unknown } | undefined;
    try {
      this.clearTimer();
      // The write in flight lands (or fails) first: batches reach the file oldest first.
      while (this.writing) this.writer!.settle();
      // The bot waits for the disk here anyway, so its own connection writes the rest: a
      // hand-off to a thread the OS may not schedule for a while would only add to the wait
      // (a shutdown must be quick: a supervisor kills a process that lingers).
      if (this.queue.length > 0) this.startWrite('flush', (error) => (failure = { error }), this.inlineWriter());
    } finally {
      this.flushing = false;
      this.afterWrite(failure === undefined);
    }
    if (failure) throw failure.error;
  }

  /** Flushes and stops. If that flush fails, it throws; the events stay queued and `flush()`/`close()` may retry. */
  close(): void {
    if (this.closed && this.depth === 0) return;
    this.closed = true;
    this.clearTimer();
    try {
      this.flush();
    } finally {
      this.removeShutdownFlush?.();
      this.removeShutdownFlush = null;
    }
    // Everything is on disk: the writer thread closes its connection before close() returns.
    this.writer?.close();
    this.writer = null;
  }

  on(eventType: string, listener: Listener): () => void {
    return this.listeners.on(eventType, listener);
  }

  onAll(listener: Listener): () => void {
    return this.listeners.onAll(listener);
  }

  metrics(): EmitterMetrics {
    return this.recorder.snapshot(this.mode, this.depth, this.mode === 'buffered' ? this.settings.queueCapacity : 0);
  }

  private emitAll(events: readonly NewEvent[]): EmitReceipt[] {
    if (this.closed) throw new ClosedError('emitter');
    const scope = this.causal.current();
    // Validate all first: a batch with one bad event writes nothing.
    const prepared: PreparedEvent[] = [];
    let previous = scope?.lastEventId ?? null;
    for (const event of events) {
      const next = this.prepare(event, scope, previous);
      prepared.push(next);
      previous = next.event_id;
    }
    if (this.mode === 'sync') {
      const stored = this.append(prepared);
      this.accepted(scope, prepared);
      this.commit(committed(prepared, stored));
      return prepared.map((p, i) => receipt(p, stored[i]));
    }
    this.enqueue(prepared);
    this.accepted(scope, prepared);
    return prepared.map((p) => receipt(p, undefined));
  }

  onAccepted(listener: (event: PreparedEvent) => void): () => void {
    this.acceptedListeners.add(listener);
    return () => this.acceptedListeners.delete(listener);
  }

  /** Written (sync) or queued (buffered): the scope's chain moves, and chain observers see each event once. */
  private accepted(scope: CausalScope | undefined, prepared: readonly PreparedEvent[]): void {
    advanceScope(scope, prepared);
    for (const event of prepared) {
      for (const listener of this.acceptedListeners) {
        try {
          listener(event);
        } catch (error) {
          this.report(error, { where: 'emitter.accepted', event_type: event.event_type, event_id: event.event_id });
        }
      }
    }
  }

  /** Resolves ids, time and metadata, then validates. Counts and rethrows ValidationErrors. */
  private prepare(event: NewEvent, scope: CausalScope | undefined, previousId: string | null): PreparedEvent {
    try {
      if (!isPlainObject(event) || (event.metadata !== undefined && !isPlainObject(event.metadata))) {
        this.schemas.validate(event); // throws, naming the bad part
      }
      if (this.mode === 'buffered' && event.expected_version !== undefined) {
        throw new ValidationError(event.event_type, [
          {
            path: 'expected_version',
            message: 'optimistic concurrency needs a sync emitter (a queued event is checked only at flush, too late to retry)',
          },
        ]);
      }
      const candidate = prepareEvent(event, {
        now: this.clock.now(),
        ids: this.ids,
        scope,
        previousId,
        version: this.schemas.get(event.event_type)?.version ?? SEED_VERSION,
      });
      // The candidate is ours (prepareEvent made it): the validated payload replaces the writer's in place.
      // An id our generator made is a UUID by construction; only a writer-given one is checked.
      candidate.payload = this.schemas.validate(candidate, { idIsOurs: event.event_id === undefined });
      return candidate;
    } catch (error) {
      if (isValidationError(error)) this.recorder.rejected();
      throw error;
    }
  }

  private append(events: PreparedEvent[]): StoredEvent[] {
    const start = performance.now();
    const stored = events.length === 1 ? [this.store.append(events[0]!)] : this.store.appendBatch(events);
    this.recorder.appendLatency(performance.now() - start);
    return stored;
  }

  private enqueue(group: PreparedEvent[]): void {
    const capacity = this.settings.queueCapacity;
    if (this.depth + group.length > capacity) {
      try {
        this.flush(); // backpressure: the caller waits for the disk instead of losing events
      } catch (error) {
        const full = new QueueFullError(capacity);
        full.cause = error;
        throw full;
      }
      if (this.depth + group.length > capacity) throw new QueueFullError(capacity);
    }
    this.queue.push(group);
    this.queued += group.length;
    if (this.queued >= this.settings.batchSize) this.writeSoon();
    else this.scheduleFlush();
  }

  /** Queued + being written: what a SIGKILL now could lose. */
  private get depth(): number {
    return this.queued + this.inFlight;
  }

  /**
   * The writer thread when the store can open a second connection; the bot's own thread
   * otherwise (or when the thread fails). Started by the first background write, not before:
   * a bot that only ever flushes itself (or a short-lived one) never pays for a thread.
   */
  private batchWriter(): BatchWriter {
    if (this.writer instanceof ThreadBatchWriter && this.writer.broken && !this.writing) {
      this.report(this.writer.broken, { where: 'emitter.writer', fallback: 'writing in the bot thread' });
      this.writer.close();
      this.writer = this.inlineWriter();
    }
    if (this.writer) return this.writer;
    const options = this.store.writerOptions?.() ?? null;
    this.writer = options ? new ThreadBatchWriter(options, () => this.store.writerOptions?.()?.maxPageCount ?? null) : this.inlineWriter();
    return this.writer;
  }

  private inlineWriter(): InlineBatchWriter {
    return (this.inline ??= new InlineBatchWriter(this.store));
  }

  /**
   * Sends the whole queue as one batch (one transaction). Size and interval flushes return at
   * once; the outcome comes back to `written` (listeners run there, after the commit).
   */
  private startWrite(reason: string, onError?: (error: unknown) => void, writer: BatchWriter = this.batchWriter()): void {
    if (this.writing || this.queue.length === 0) return;
    // Inside flush() or while listeners run, the queue is picked up when they are done.
    if ((this.flushing || this.notifying > 0) && reason !== 'flush') return;
    this.clearTimer();
    const groups = this.queue;
    const count = this.queued;
    this.queue = [];
    this.queued = 0;
    this.inFlight = count;
    this.writing = true;
    writer.write(groups, (outcome) => {
      this.writing = false;
      this.inFlight = 0;
      this.notifying++;
      try {
        this.written(groups, outcome, reason);
      } finally {
        this.notifying--;
      }
      if (outcome.error !== undefined) onError?.(outcome.error);
      if (!this.flushing) this.afterWrite(outcome.error === undefined);
    });
  }

  private written(groups: PreparedEvent[][], outcome: BatchOutcome, reason: string): void {
    this.recorder.appendLatency(outcome.ms);
    // What was not written goes back to the front of the queue, oldest first.
    const rest = groups.slice(outcome.settled.length);
    if (rest.length > 0) {
      this.queue = rest.concat(this.queue);
      for (const group of rest) this.queued += group.length;
    }
    if (outcome.error === undefined) this.recorder.flushed();
    else this.recorder.flushFailed();
    outcome.settled.forEach((settled, g) => {
      if (!('discarded' in settled)) return this.commit(settled);
      this.recorder.flushFailed();
      this.report(settled.discarded, { where: 'emitter.flush', discarded: groups[g]!.map((e) => e.event_id) });
    });
    // flush() rethrows its own failure; nobody waits on the others.
    if (outcome.error !== undefined && reason !== 'flush') {
      this.report(outcome.error, { where: 'emitter.flush', reason, queued: this.depth });
    }
  }

  private afterWrite(written: boolean): void {
    if (this.queued === 0 || this.closed) return;
    // Listeners may have emitted while we wrote. After a failure, retry on the interval
    // only: retrying at once would spin against a store that is down.
    if (written && this.queued >= this.settings.batchSize) this.writeSoon();
    else this.scheduleFlush();
  }

  /**
   * The queue reached batchSize. The writer thread gets it as soon as the running callback
   * (the bot's burst of emits, or a commit's listeners) is done, in the same turn of the
   * event loop: handing over a batch copies it, and that copy then runs as a block of its own
   * instead of lengthening the bot's. A callback that goes on emitting (a second batch's
   * worth) hands it over at once, and a writer in the bot's thread writes at once.
   */
  private writeSoon(): void {
    if (this.writing) return; // a write in flight takes the queue up when it is done
    if (this.queued < 2 * this.settings.batchSize && this.batchWriter() instanceof ThreadBatchWriter) {
      // Kept ref'd: an unref'd immediate waits for the loop's next timer or I/O.
      this.soon ??= setImmediate(this.onSoon);
      return;
    }
    this.startWrite('size');
  }

  private readonly onSoon = (): void => {
    this.soon = null;
    if (this.queued >= this.settings.batchSize) this.startWrite('size');
    else this.scheduleFlush();
  };

  /** For flushes nobody waits on (shutdown): report instead of throw. */
  private flushQuietly(reason: string): void {
    try {
      this.flush();
    } catch (error) {
      this.report(error, { where: 'emitter.flush', reason, queued: this.depth });
    }
  }

  private scheduleFlush(): void {
    if (this.timer || this.closed || this.queued === 0) return;
    this.timer = setTimeout(this.onInterval, this.settings.flushIntervalMs);
    this.timer.unref(); // a pending flush must not keep the bot alive; beforeExit flushes instead
  }

  /** Made once: a closure inside scheduleFlush would cost an allocation on every emit that calls it. */
  private readonly onInterval = (): void => {
    this.timer = null;
    this.startWrite('interval');
  };

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.soon) clearImmediate(this.soon);
    this.soon = null;
  }

  private commit(group: CommittedGroup): void {
    const { events } = group;
    for (const event of events) this.recorder.committed(event.event_type);
    // A stored event is built only for an event some listener hears.
    for (let i = 0; i < events.length; i++) if (this.listeners.wants(events[i]!.event_type)) this.notify(group.stored(i));
  }

  private notify(event: StoredEvent): void {
    for (const listener of this.listeners.for(event)) {
      try {
        const result = this.causal.run(() => listener(event), {
          correlationId: event.metadata?.correlation_id ?? undefined,
          causationId: event.event_id,
        });
        if (isThenable(result)) result.then(undefined, (error: unknown) => this.listenerFailed(error, event));
      } catch (error) {
        this.listenerFailed(error, event);
      }
    }
  }

  private listenerFailed(error: unknown, event: StoredEvent): void {
    this.recorder.listenerFailed();
    this.report(error, { where: 'emitter.listener', event_type: event.event_type, event_id: event.event_id });
  }

  /** A broken reporter must not turn a contained failure into one the bot sees. */
  private report(error: unknown, context: { where: string; [key: string]: unknown }): void {
    try {
      this.reporter.report(error, context);
    } catch {
      // nowhere left to report to
    }
  }
}

function receipt(event: PreparedEvent, stored: StoredEvent | undefined): EmitReceipt {
  const receipt: EmitReceipt = {
    event_id: event.event_id,
    event_type: event.event_type,
    aggregate_type: event.aggregate_type,
    aggregate_id: event.aggregate_id,
    created_at: event.created_at,
    // A queued event's own object stays ours until its flush; a written one is no longer ours.
    metadata: stored ? event.metadata : { ...event.metadata },
  };
  if (stored) receipt.stored = stored;
  return receipt;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
