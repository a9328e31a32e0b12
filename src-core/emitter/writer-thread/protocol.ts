import {
  ConcurrencyError,
  DuplicateEventError,
  ReadOnlyStoreError,
  SchemaVersionError,
  StoreOpenError,
  StoreWriteError,
  ValidationError,
} from '../../errors';
import type { PreparedEvent, StoredEvent } from '../../events/types';
import type { MessagePort } from 'node:worker_threads';
import type { WriterConnectionOptions } from '../../store/types';

/** What the writer thread starts with (workerData). */
export interface WriterInit {
  options: WriterConnectionOptions;
  /** Where replies go: read by a listener, or synchronously (receiveMessageOnPort) while the bot waits. */
  replies: MessagePort;
  /** Int32Array(1) bumped after every reply, so a waiting bot thread wakes (Atomics.wait). */
  signal: SharedArrayBuffer;
}

export type WriterRequest =
  /** The start of write `id`'s batch (a large batch crosses in parts); the thread keeps it for the write. */
  | { kind: 'part'; id: number; groups: PreparedEvent[][] }
  /** Write, in one transaction, the `parts` parts sent before for this id followed by `groups`. */
  | { kind: 'write'; id: number; groups: PreparedEvent[][]; parts: number; maxPageCount: number | null }
  | { kind: 'close'; id: number };

/** An error as it crosses the thread boundary: its class is found again by its `code`. */
export interface PackedError {
  name: string;
  message: string;
  stack?: string | undefined;
  props: Record<string, unknown>;
  cause?: PackedError | undefined;
}

export type WriterReply =
  | {
      kind: 'written';
      id: number;
      ms: number;
      /** Per group taken off the queue, oldest first: null when written, else the error that set it aside. */
      groups: (PackedError | null)[];
      /** position and sequence_number of each written event, in order (2 numbers per event; one copy to cross). */
      at: Float64Array;
      /** Written events the log already held (an idempotent repeat): the log's copy, by index among the written events. */
      held: [number, StoredEvent][];
      /** Why the write stopped before the end of the batch: the groups after `groups` stay queued. */
      error?: PackedError;
    }
  | { kind: 'closed'; id: number }
  /** Loaded, connection open: writes from now on take milliseconds, not a thread's start-up. */
  | { kind: 'ready' }
  /** The thread cannot write at all (it failed to load or to open the store). */
  | { kind: 'fatal'; error: PackedError };

export function packError(error: unknown): PackedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), props: {} };
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause') continue;
    try {
      props[key] = structuredClone(value);
    } catch {
      // not cloneable: the message still says what happened
    }
  }
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    props,
    ...(error.cause !== undefined ? { cause: packError(error.cause) } : {}),
  };
}

/** The classes a store write can throw, by code: a revived error is `instanceof` its class again. */
const PROTOTYPES: Record<string, object> = {
  STORE_WRITE: StoreWriteError.prototype,
  STORE_OPEN: StoreOpenError.prototype,
  DUPLICATE_EVENT: DuplicateEventError.prototype,
  VALIDATION: ValidationError.prototype,
  CONCURRENCY: ConcurrencyError.prototype,
  READ_ONLY: ReadOnlyStoreError.prototype,
  SCHEMA_VERSION: SchemaVersionError.prototype,
};

export function unpackError(packed: PackedError): Error {
  const code = packed.props.code;
  const error = Object.create(typeof code === 'string' ? (PROTOTYPES[code] ?? Error.prototype) : Error.prototype) as Error;
  Object.defineProperty(error, 'message', { value: packed.message, writable: true, configurable: true });
  Object.defineProperty(error, 'stack', { value: packed.stack, writable: true, configurable: true });
  Object.assign(error, { name: packed.name }, packed.props);
  if (packed.cause) Object.defineProperty(error, 'cause', { value: unpackError(packed.cause), writable: true, configurable: true });
  return error;
}
