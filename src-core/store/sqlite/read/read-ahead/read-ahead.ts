import { receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startThread } from '../../../../threads/start-thread';
import { threadUrl } from '../../../../threads/thread-url';
import type { LeanPageQuery } from '../lean-rows';
import type { ReaderInit, ReaderReply, ReaderRequest } from './protocol';

/** Where the reader thread's code is: see threadUrl (dist/reader-thread.mjs once built). */
export function readerThreadUrl(here: string = import.meta.url): URL {
  return threadUrl('reader-thread', './source-entry.mjs', here);
}

/** Pages the thread reads ahead of the fold: the fold never waits on SQLite, and at most this many wait unread. */
export const PAGES_AHEAD = 3;

/**
 * How long the store's thread waits for a page before it reads on by itself (the thread is
 * stuck, or starved of CPU): nothing is lost, the stream goes on from the last page it took.
 */
const PAGE_DEADLINE_MS = 10_000;

/** A page as the stream takes it: its rows, and what 0 stands for in them. */
export interface AheadPage {
  rows: string[];
  asked: string;
}

/**
 * The store's side of the reader thread: reads a long aggregate's pages on another core
 * while this thread parses and folds them. Started on demand and never waited for: until the
 * thread says it is ready (and whenever it fails) the store reads in its own thread. Unref'd:
 * it never keeps a process alive.
 */
export class ReadAhead {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly wake: Int32Array;
  private ready = false;
  private broken = false;
  private active: number | null = null;
  private nextId = 1;
  /** Pages received but not taken yet, of the active stream. */
  private readonly waiting: AheadPage[] = [];

  constructor(file: string, url: URL = readerThreadUrl()) {
    const init: Omit<ReaderInit, 'replies' | 'signal'> = { file };
    ({ worker: this.worker, replies: this.replies, wake: this.wake } = startThread(url, init));
    this.replies.unref();
    this.worker.on('error', () => (this.broken = true));
    this.worker.on('exit', () => (this.broken = true));
  }

  /** Ready for a stream now, without waiting: the thread is up, well, and not reading another one. */
  get available(): boolean {
    if (!this.ready && !this.broken) this.take();
    return this.ready && !this.broken && this.active === null;
  }

  /** Starts reading pages from `query.after`, the first expecting `expected`; the stream's id. */
  open(query: LeanPageQuery, expected: string): number {
    const id = this.nextId++;
    this.active = id;
    this.waiting.length = 0;
    this.post({ kind: 'stream', id, query, expected, ahead: PAGES_AHEAD });
    return id;
  }

  /** The stream's next page, waiting for it if need be; null when the thread failed or took too long (read on in this thread). */
  next(id: number): AheadPage | null {
    const deadline = Date.now() + PAGE_DEADLINE_MS;
    while (this.waiting.length === 0) {
      if (this.broken || this.active !== id) return null;
      const seen = Atomics.load(this.wake, 0);
      if (this.take()) continue;
      if (Date.now() > deadline) {
        this.broken = true; // too slow to be worth it: this store reads by itself from now on
        return null;
      }
      Atomics.wait(this.wake, 0, seen, 100);
    }
    this.post({ kind: 'more', id });
    return this.waiting.shift()!;
  }

  /** The stream is over (read to its end, stopped early, or given up on). */
  stop(id: number): void {
    if (this.active !== id) return;
    this.active = null;
    this.waiting.length = 0;
    this.post({ kind: 'stop', id });
  }

  close(): void {
    this.broken = true;
    this.replies.close();
    void this.worker.terminate();
  }

  /** Takes the answers already in; true if one was. Pages of streams no longer read are dropped. */
  private take(): boolean {
    let took = false;
    for (let message = receiveMessageOnPort(this.replies); message; message = receiveMessageOnPort(this.replies)) {
      took = true;
      const reply = message.message as ReaderReply;
      if (reply.kind === 'ready') this.ready = true;
      else if (reply.id !== this.active) continue;
      else if (reply.kind === 'rows') this.waiting.push({ rows: reply.rows, asked: reply.asked });
      else this.active = null; // failed: the stream reads on in the store's thread
    }
    return took;
  }

  private post(request: ReaderRequest): void {
    try {
      this.worker.postMessage(request);
    } catch {
      this.broken = true;
    }
  }
}
