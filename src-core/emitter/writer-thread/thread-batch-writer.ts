import { receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { StoreWriteError } from '../../errors';
import { markRepeat } from '../../events/repeat';
import type { PreparedEvent, StoredEvent } from '../../events/types';
import { readMetadata } from '../../store/row-mapper';
import { startThread } from '../../threads/start-thread';
import { threadUrl } from '../../threads/thread-url';
import type { WriterConnectionOptions } from '../../store/types';
import type { BatchOutcome, BatchWriter, CommittedGroup } from './batch-writer';
import { unpackError, type WriterInit, type WriterReply, type WriterRequest } from './protocol';

/** Where the writer thread's code is: see threadUrl (dist/writer-thread.mjs once built). */
export function writerThreadUrl(here: string = import.meta.url): URL {
  return threadUrl('writer-thread', './source-entry.mjs', here);
}

/** How long a bot thread waits for an answer before it gives the write up as failed (its events stay queued). */
function answerDeadlineMs(options: WriterConnectionOptions): number {
  return 30_000 + 10 * (options.busyTimeoutMs ?? 5000);
}

/**
 * A batch crosses to the thread in parts of about this many events, one part per turn of the
 * event loop: copying a message costs the bot's thread 1-2 µs per event, and a 500-event batch
 * copied at once would hold the loop for a millisecond.
 */
export const PART_EVENTS = 100;

interface Pending {
  id: number;
  groups: PreparedEvent[][];
  done: (outcome: BatchOutcome) => void;
}

/**
 * The bot's side of the writer thread. `write` posts the batch and returns; the thread's answer
 * runs `done` from the event loop, or at once inside `settle`, which blocks (Atomics.wait) and
 * takes the answer off the port synchronously — how flush(), close(), backpressure and the
 * shutdown flush wait for the batch in flight before they write the rest. The thread is
 * unref'd: it never keeps the bot alive (beforeExit flushes).
 */
export class ThreadBatchWriter implements BatchWriter {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly wake: Int32Array;
  private pending: Pending | null = null;
  private nextId = 1;
  private fatal: Error | null = null;
  private started = false;
  private closed = false;
  /** The batch being sent: the next group to send and how many parts went before it. */
  private sending: { id: number; groups: PreparedEvent[][]; next: number; parts: number } | null = null;
  private nextPart: NodeJS.Immediate | null = null;

  constructor(
    private readonly options: WriterConnectionOptions,
    /** This connection's page cap, read per batch: the writer thread follows it. */
    private readonly pageCap: () => number | null,
    url: URL = writerThreadUrl(),
  ) {
    const init: Omit<WriterInit, 'replies' | 'signal'> = { options };
    ({ worker: this.worker, replies: this.replies, wake: this.wake } = startThread(url, init));
    this.replies.on('message', (reply: WriterReply) => this.receive(reply));
    this.replies.unref();
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.die(new Error(`the writer thread exited (code ${code})`));
    });
  }

  /** The thread has started and opened its connection (a write sent before waits for its start-up). */
  get ready(): boolean {
    if (!this.started) this.poll();
    return this.started;
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Set once the thread can no longer write; the emitter then writes in its own thread. */
  get broken(): Error | null {
    return this.fatal;
  }

  write(groups: PreparedEvent[][], done: (outcome: BatchOutcome) => void): void {
    if (this.pending) throw new Error('the writer thread is still writing the previous batch');
    if (this.fatal) return done({ settled: [], error: this.fatal, ms: 0 });
    const id = this.nextId++;
    this.pending = { id, groups, done };
    this.sending = { id, groups, next: 0, parts: 0 };
    this.sendPart();
  }

  /** Sends the batch's next part now and schedules the one after for the next turn of the loop. */
  private readonly sendPart = (): void => {
    this.nextPart = null;
    if (!this.sendOne()) return;
    // Ref'd, or the part would wait for the loop's next timer or I/O; the parts go out within a few turns.
    this.nextPart = setImmediate(this.sendPart);
  };

  /** Sends the next part of the batch in flight (the last part is the write request itself); true while parts remain. */
  private sendOne(): boolean {
    const sending = this.sending;
    if (!sending) return false;
    const { id, groups } = sending;
    let end = sending.next;
    for (let events = 0; end < groups.length && events < PART_EVENTS;) events += groups[end++]!.length;
    const part = sending.next === 0 && end === groups.length ? groups : groups.slice(sending.next, end);
    sending.next = end;
    if (end === groups.length) {
      this.sending = null;
      this.post({ kind: 'write', id, groups: part, parts: sending.parts, maxPageCount: this.pageCap() });
      return false;
    }
    sending.parts++;
    this.post({ kind: 'part', id, groups: part });
    return this.sending === sending; // a failed post ends the write
  }

  /** What was not sent yet of the batch in flight, now (the bot is about to wait for it). */
  private sendRest(): void {
    if (this.nextPart) clearImmediate(this.nextPart);
    this.nextPart = null;
    while (this.sendOne());
  }

  settle(): void {
    this.sendRest();
    const deadline = Date.now() + answerDeadlineMs(this.options);
    while (this.pending) {
      const seen = Atomics.load(this.wake, 0);
      const message = receiveMessageOnPort(this.replies);
      if (message) {
        this.receive(message.message as WriterReply);
        continue;
      }
      if (Date.now() > deadline) {
        // The thread is stuck or gone. The events stay queued: a later write of the same
        // events is idempotent (same ids, same content) if this one did land after all.
        this.finish(new StoreWriteError('the writer thread did not answer', undefined));
        break;
      }
      Atomics.wait(this.wake, 0, seen, 200);
    }
  }

  /** Takes the answers already on the port (the event loop may not have run since they came). */
  private poll(): void {
    for (let message = receiveMessageOnPort(this.replies); message; message = receiveMessageOnPort(this.replies)) {
      this.receive(message.message as WriterReply);
    }
  }

  close(): void {
    if (this.closed) return;
    this.settle();
    this.closed = true;
    // A thread that never opened its connection has written nothing: no need to wait for it.
    if (!this.fatal && this.ready) {
      // Wait for the thread to close its connection, so the file is released when close() returns.
      const id = this.nextId++;
      this.pending = { id, groups: [], done: () => {} };
      this.post({ kind: 'close', id });
      this.settle();
    }
    this.replies.close();
    void this.worker.terminate();
  }

  private post(request: WriterRequest): void {
    try {
      this.worker.postMessage(request);
    } catch (error) {
      this.die(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private receive(reply: WriterReply): void {
    if (reply.kind === 'fatal') return this.die(unpackError(reply.error));
    if (reply.kind === 'ready') {
      this.started = true;
      return;
    }
    const pending = this.pending;
    if (!pending || reply.id !== pending.id) return; // an answer to a write given up on
    this.pending = null;
    if (reply.kind === 'closed') return pending.done({ settled: [], ms: 0 });
    pending.done(outcomeOf(reply, pending.groups));
  }

  private die(error: Error): void {
    if (this.fatal || this.closed) return;
    this.fatal = error;
    this.finish(error);
  }

  private finish(error: Error): void {
    const pending = this.pending;
    this.pending = null;
    this.sending = null;
    if (this.nextPart) clearImmediate(this.nextPart);
    this.nextPart = null;
    pending?.done({ settled: [], error, ms: 0 });
  }
}

/** The outcome as the thread reports it: where each written event landed, by index among the written events. */
function outcomeOf(reply: Extract<WriterReply, { kind: 'written' }>, groups: PreparedEvent[][]): BatchOutcome {
  // An idempotent repeat comes back as the log's copy; marked, so listeners are not told twice.
  const held = reply.held.length === 0 ? null : new Map(reply.held.map(([index, event]) => [index, markRepeat(event)]));
  let n = 0;
  const settled: BatchOutcome['settled'] = reply.groups.map((problem, g) => {
    if (problem) return { discarded: unpackError(problem) };
    const group = new ThreadCommittedGroup(groups[g]!, reply.at, n, held);
    n += group.events.length;
    return group;
  });
  return { settled, ms: reply.ms, ...(reply.error ? { error: unpackError(reply.error) } : {}) };
}

/** A written group: its stored events are rebuilt from what the bot queued, when asked for. */
class ThreadCommittedGroup implements CommittedGroup {
  constructor(
    readonly events: readonly PreparedEvent[],
    private readonly at: Float64Array,
    /** Index of the group's first event among the written events. */
    private readonly first: number,
    private readonly held: ReadonlyMap<number, StoredEvent> | null,
  ) {}

  stored(i: number): StoredEvent {
    const index = this.first + i;
    const held = this.held?.get(index);
    if (held) return held;
    const event = this.events[i]!;
    return {
      position: this.at[2 * index]!,
      event_id: event.event_id,
      event_type: event.event_type,
      aggregate_type: event.aggregate_type,
      aggregate_id: event.aggregate_id,
      sequence_number: this.at[2 * index + 1]!,
      created_at: event.created_at,
      payload: event.payload,
      metadata: readMetadata(event.metadata),
    };
  }
}
