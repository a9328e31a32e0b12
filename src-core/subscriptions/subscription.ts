import { ClosedError, ConfigError } from '../errors';
import type { CorruptEvent, StoredEvent } from '../events/types';
import { isCorruptEvent } from '../events/types';
import type { CheckpointStore, EventReader } from '../store/types';
import type { CatchUpResult, ErrorDecision, SubscriptionDeps, SubscriptionOptions, SubscriptionState, SubscriptionStats } from './types';

const DEFAULT_BATCH = 200;
const DEFAULT_POLL_MS = 250;

type StepResult = 'more' | 'idle' | 'retry';

interface Waiter {
  position: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A named consumer of the global stream: reads from its checkpoint in position order,
 * hands events to its handler, then saves the checkpoint (after each batch, in the same
 * file). Catches up, then follows by polling until stop(); a new instance with the same
 * name resumes where the last one stopped. At-least-once: see SubscriptionOptions.
 */
export class Subscription {
  readonly name: string;
  private readonly reader: EventReader;
  private readonly checkpoints: CheckpointStore;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private current = 0;
  private status: SubscriptionState = 'idle';
  private stopRequested = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private waiters: Waiter[] = [];
  private failure: unknown = undefined;
  private readonly counters: SubscriptionStats = { handled: 0, corruptSkipped: 0, handlerErrors: 0, batches: 0 };

  constructor(
    private readonly options: SubscriptionOptions,
    deps: SubscriptionDeps,
  ) {
    const source = `subscription '${String(options.name)}'`;
    if (typeof options.name !== 'string' || options.name.length === 0) throw new ConfigError(source, 'name must be a non-empty string');
    if ((typeof options.handle === 'function') === (typeof options.handleBatch === 'function')) {
      throw new ConfigError(source, 'give exactly one of handle(event) or handleBatch(events)');
    }
    this.batchSize = Math.floor(options.batchSize ?? DEFAULT_BATCH);
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    if (!(this.batchSize >= 1)) throw new ConfigError(source, 'batchSize must be at least 1');
    if (!(this.pollIntervalMs >= 0)) throw new ConfigError(source, 'pollIntervalMs must be >= 0');
    this.name = options.name;
    this.reader = deps.reader;
    this.checkpoints = deps.checkpoints;
  }

  /** The position handled and checkpointed so far. */
  get position(): number {
    return this.current;
  }

  get state(): SubscriptionState {
    return this.status;
  }

  /** The error that ended the run, if it failed. */
  get error(): unknown {
    return this.failure;
  }

  /** A copy of the counters; see {@link SubscriptionStats}. */
  stats(): SubscriptionStats {
    return { ...this.counters };
  }

  /**
   * Handles everything up to the head, then returns. While start() is following, it waits
   * for the running loop to reach the head instead of reading alongside it.
   */
  async catchUp(): Promise<CatchUpResult> {
    const before = this.counters.handled;
    if (this.running) {
      await this.waitForPosition(await this.reader.headPosition());
      return { handled: this.counters.handled - before, position: this.current };
    }
    this.stopRequested = false;
    this.failure = undefined;
    try {
      await this.loadCheckpoint();
      for (;;) {
        const step = await this.step();
        if (step === 'idle' || this.stopRequested) break;
        if (step === 'retry') await this.sleep(this.pollIntervalMs);
      }
    } catch (error) {
      this.fail(error);
      throw error;
    }
    return { handled: this.counters.handled - before, position: this.current };
  }

  /**
   * Catches up, then follows new events until stop(). The promise settles when the run ends:
   * resolved after stop(), rejected with the handler's error when onError said 'stop'.
   * Calling it again while running returns the same promise.
   */
  start(): Promise<void> {
    if (this.running) return this.running;
    this.stopRequested = false;
    this.failure = undefined;
    this.status = 'running';
    const run = (async () => {
      try {
        await this.loadCheckpoint();
        while (!this.stopRequested) {
          const step = await this.step();
          if (step !== 'more' && !this.stopRequested) await this.sleep(this.pollIntervalMs);
        }
        this.status = 'stopped';
      } catch (error) {
        this.fail(error);
        throw error;
      } finally {
        this.running = null;
        this.rejectWaiters(new ClosedError(`subscription '${this.name}'`));
      }
    })();
    this.running = run;
    return run;
  }

  /** Ends the run after the event in hand (its checkpoint saved). Never throws; see start() for the outcome. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
    if (this.status !== 'failed') this.status = 'stopped';
  }

  /** Resolves once the checkpoint reaches `position`; rejects if the run ends first. */
  waitForPosition(position: number): Promise<void> {
    if (this.current >= position) return Promise.resolve();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the run's failure is passed on as thrown (a handler may throw a non-Error), as the pending waiters get it
    if (this.status === 'failed') return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ position, resolve, reject }));
  }

  // ------------------------------------------------------------------ internals

  private async loadCheckpoint(): Promise<void> {
    const saved = this.checkpoints.getCheckpoint(this.name);
    if (saved !== null) {
      this.current = saved;
    } else if (this.options.startAt === 'head') {
      // Saved at once, so a restart does not fall back to replaying the whole log.
      this.commit(await this.reader.headPosition(), true);
    } else {
      this.current = 0;
    }
  }

  /** One page: read, handle, checkpoint. */
  private async step(): Promise<StepResult> {
    // Read before the page: everything at or below it is committed, so an empty tail can be skipped.
    const head = await this.reader.headPosition();
    if (head <= this.current) return 'idle';
    const page = await this.reader.readPage(this.options.filter ?? {}, {
      after: this.current,
      limit: this.batchSize,
      direction: 'forward',
    });
    if (page.records.length > 0) this.counters.batches++;
    const outcome = this.options.handleBatch ? await this.deliverBatch(page.records) : await this.deliverEach(page.records);
    if (outcome.result === 'retry') return 'retry';
    let reached = outcome.last;
    // The whole page was handled and nothing follows it: positions up to the head hold nothing for us.
    if (outcome.complete && page.next === null) reached = Math.max(reached, head);
    this.commit(reached);
    return page.next !== null ? 'more' : 'idle';
  }

  private async deliverEach(
    records: readonly (StoredEvent | CorruptEvent)[],
  ): Promise<{ last: number; complete: boolean; result?: 'retry' }> {
    let last = this.current;
    for (const record of records) {
      if (this.stopRequested) return { last, complete: false };
      if (isCorruptEvent(record)) {
        this.reportCorrupt(record);
        last = record.position;
        continue;
      }
      try {
        await this.options.handle!(record);
        this.counters.handled++;
      } catch (error) {
        const decision = this.decide(error, [record]);
        if (decision !== 'skip') {
          this.commit(last); // keep what was handled before the failing event
          if (decision === 'retry') return { last, complete: false, result: 'retry' };
          throw error;
        }
      }
      last = record.position;
    }
    return { last, complete: true };
  }

  private async deliverBatch(
    records: readonly (StoredEvent | CorruptEvent)[],
  ): Promise<{ last: number; complete: boolean; result?: 'retry' }> {
    const events: StoredEvent[] = [];
    for (const record of records) {
      if (isCorruptEvent(record)) this.reportCorrupt(record);
      else events.push(record);
    }
    if (events.length > 0) {
      try {
        await this.options.handleBatch!(events);
        this.counters.handled += events.length;
      } catch (error) {
        const decision = this.decide(error, events);
        if (decision === 'retry') return { last: this.current, complete: false, result: 'retry' };
        if (decision === 'stop') throw error;
      }
    }
    const last = records.length > 0 ? records[records.length - 1]!.position : this.current;
    return { last, complete: true };
  }

  private decide(error: unknown, events: readonly StoredEvent[]): ErrorDecision {
    this.counters.handlerErrors++;
    if (!this.options.onError) return 'stop';
    try {
      return this.options.onError(error, events);
    } catch {
      return 'stop';
    }
  }

  private reportCorrupt(record: CorruptEvent): void {
    this.counters.corruptSkipped++;
    try {
      this.options.onCorrupt?.(record);
    } catch {
      // A reporting callback must not stall the stream on a row that can never be handled.
    }
  }

  private commit(position: number, force = false): void {
    if (position <= this.current && !force) return;
    this.checkpoints.saveCheckpoint(this.name, position);
    this.current = position;
    const due = this.waiters.filter((w) => w.position <= position);
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const waiter of due) waiter.resolve();
  }

  private fail(error: unknown): void {
    this.status = 'failed';
    this.failure = error;
    this.rejectWaiters(error);
  }

  private rejectWaiters(error: unknown): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const waiter of pending) waiter.reject(error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
