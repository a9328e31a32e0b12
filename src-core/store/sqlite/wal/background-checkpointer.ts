import { Worker } from 'node:worker_threads';
import { threadUrl } from '../../../threads/thread-url';
import { CLOSED, CONTROL_SLOTS, FAILED, IDLE, PASSIVE, RAN, REQUEST, STOP, type CheckpointerInit } from './protocol';

/** Where the checkpointer thread's code is: see threadUrl (dist/wal-checkpointer.mjs once built). */
export function checkpointerThreadUrl(here: string = import.meta.url): URL {
  return threadUrl('wal-checkpointer', './source-entry.mjs', here);
}

/** How long close() waits for a checkpoint in progress to finish (it is never cut short: the thread owns a connection). */
const CLOSE_WAIT_MS = 30_000;

/**
 * The store's side of the checkpointer thread. Requests go through shared memory, not
 * messages: the store's thread may be in a synchronous loop of appends that never yields to
 * the event loop, and a request must still reach the thread at once. Unref'd: it never keeps
 * a process alive.
 */
export class BackgroundCheckpointer {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private readonly worker: Worker;

  constructor(file: string, busyTimeoutMs: number, url: URL = checkpointerThreadUrl()) {
    const init: CheckpointerInit = { file, busyTimeoutMs, control: this.control.buffer };
    this.worker = new Worker(url, { workerData: init });
    this.worker.unref();
    const gone = (): void => {
      Atomics.store(this.control, REQUEST, CLOSED);
    };
    this.worker.on('error', gone);
    this.worker.on('exit', gone);
  }

  /** The thread is up (or starting) and was not stopped. */
  get alive(): boolean {
    const state = Atomics.load(this.control, REQUEST);
    return state !== CLOSED && state !== STOP;
  }

  /** A checkpoint asked for and not finished yet. */
  get running(): boolean {
    return Atomics.load(this.control, REQUEST) === PASSIVE;
  }

  /** Checkpoints the thread ran, and those that SQLite refused (busy) or that failed. */
  get counts(): { ran: number; failed: number } {
    return { ran: Atomics.load(this.control, RAN), failed: Atomics.load(this.control, FAILED) };
  }

  /** Asks for a PASSIVE checkpoint: copies what no reader needs, never blocking a writer. False while one runs, or once the thread is gone. */
  checkpoint(): boolean {
    if (Atomics.compareExchange(this.control, REQUEST, IDLE, PASSIVE) !== IDLE) return false;
    Atomics.notify(this.control, REQUEST);
    return true;
  }

  /** Waits until no checkpoint is asked for or running (or `timeoutMs` passed); whether none is. */
  settle(timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.control, REQUEST) === PASSIVE) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, REQUEST, PASSIVE, left);
    }
    return true;
  }

  /**
   * Stops the thread and waits until its connection is closed (a checkpoint in progress
   * finishes first), so the store's own close is the last and SQLite removes the WAL as usual.
   */
  close(): void {
    const before = Atomics.exchange(this.control, REQUEST, STOP);
    if (before === CLOSED) {
      Atomics.store(this.control, REQUEST, CLOSED);
    } else {
      Atomics.notify(this.control, REQUEST);
      const deadline = Date.now() + CLOSE_WAIT_MS;
      for (let state = STOP as number; state !== CLOSED && Date.now() < deadline; state = Atomics.load(this.control, REQUEST)) {
        Atomics.wait(this.control, REQUEST, state, 100);
      }
    }
    void this.worker.terminate();
  }
}
