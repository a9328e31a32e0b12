/** What the checkpointer thread starts with. */
export interface CheckpointerInit {
  file: string;
  busyTimeoutMs: number;
  /** An Int32Array of CONTROL_SLOTS over it: the request word and counters (see below). */
  control: SharedArrayBuffer;
}

/** Slots of the control array. */
export const REQUEST = 0;
/** Checkpoints run, and those SQLite refused or failed (busy, I/O). */
export const RAN = 1;
export const FAILED = 2;
export const CONTROL_SLOTS = 3;

/** Values of the request word: set by the store's thread (PASSIVE, STOP), reset by the checkpointer (IDLE, CLOSED). */
export const IDLE = 0;
/** Copy what no reader needs, beside a running writer (SQLite's PASSIVE checkpoint: it never waits for a lock). */
export const PASSIVE = 1;
export const STOP = 3;
/** The thread closed its connection and is gone. */
export const CLOSED = 4;
