import type { MessagePort } from 'node:worker_threads';
import type { LeanPageQuery } from '../lean-rows';

/** What the reader thread starts with. */
export interface ReaderInit {
  /** The file to read (the store's, or its private copy). */
  file: string;
  /** Where answers go; the bot's thread reads it synchronously. */
  replies: MessagePort;
  /** Incremented (and notified) with every answer, so the waiting thread wakes. */
  signal: SharedArrayBuffer;
}

/** From the store's thread. */
export type ReaderRequest =
  | {
      kind: 'stream';
      id: number;
      query: LeanPageQuery;
      /** The type the first page expects (the last one the store's thread read). */
      expected: string;
      /** Pages to send before waiting for a `more`. */
      ahead: number;
    }
  /** One more page of this stream may be sent. */
  | { kind: 'more'; id: number }
  /** The stream's reader is done with it (finished or stopped early). */
  | { kind: 'stop'; id: number };

/** To the store's thread. */
export type ReaderReply =
  | { kind: 'ready' }
  /** One page, in order; fewer than CHUNK rows ends the stream. `asked` is what 0 stands for in it. */
  | { kind: 'rows'; id: number; rows: string[]; asked: string }
  | { kind: 'failed'; id: number; message: string };
