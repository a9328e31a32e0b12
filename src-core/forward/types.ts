import type { Clock } from '../clock/clock';
import type { BatchInfo } from './pg-sink';

export type { BatchInfo };

export interface ForwardOptions {
  /** The local SQLite log; opened read-only. */
  db: string;
  /** postgres://user:pass@host:port/database */
  to: string;
  /** Keep shipping as the bot writes, until `signal` aborts. */
  follow?: boolean;
  /** Name of this log in PostgreSQL; default: derived from the file (basename@created_at). */
  source?: string;
  /** Rows per PostgreSQL transaction (1..10000); default 1000. */
  batchSize?: number;
  /** Follow mode: how often to look for new rows, ms; default 250. */
  pollMs?: number;
  /** Stops after the batch in flight has committed (wire SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  /** Where the progress line goes; drawn only when it is a TTY. Default process.stderr; null: none. */
  progress?: NodeJS.WriteStream | null;
  onProgress?: (progress: ForwardProgress) => void;
  /** Messages about retries and waiting. Default: a line on stderr. */
  log?: (message: string) => void;
  /** Transient PostgreSQL failures retried before giving up; default: forever with --follow, 3 without. */
  retries?: number;
  /** Stamps forward_checkpoints.updated_at; default the system clock. */
  clock?: Clock;
  /** Longest wait between retries, ms; default 5000. */
  maxRetryDelayMs?: number;
  /**
   * Runs inside the batch's open PostgreSQL transaction, after its rows are inserted and
   * before COMMIT. For crash drills in tests; a CLI never sets it.
   */
  beforeCommit?: (info: BatchInfo) => void | Promise<void>;
}

export interface ForwardProgress {
  source: string;
  /** Rows inserted by this run. */
  forwarded: number;
  /** Rows this run found already present by event_id. */
  duplicates: number;
  /** Rows PostgreSQL cannot hold as they are, recorded (with why) in forward_dead_letters. */
  deadLettered: number;
  batches: number;
  /** The file position shipped up to (the checkpoint). */
  position: number;
  /** The file's head position at the last look. */
  head: number;
  state: 'shipping' | 'following' | 'retrying';
}

export interface ForwardResult {
  /** null only for an empty seed-written file, which has nothing to name it by yet. */
  source: string | null;
  forwarded: number;
  duplicates: number;
  /** Rows recorded in forward_dead_letters instead of event_log (each also reported through `log`). */
  deadLettered: number;
  batches: number;
  position: number;
  head: number;
}
