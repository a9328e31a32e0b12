import type { Clock } from '../clock/clock';
import type { BatchInfo } from './pg-sink';

export type { BatchInfo };

/** What {@link runForward} ships, where to, and how. */
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
  /** Called after each batch commits, on each idle poll in follow mode, on each retry and once at the end. */
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

/** Where a {@link runForward} run stands; what {@link ForwardOptions.onProgress} receives. */
export interface ForwardProgress {
  /** Name of the log in PostgreSQL. */
  source: string;
  /** Rows inserted by this run. */
  forwarded: number;
  /** Rows this run found already present by event_id. */
  duplicates: number;
  /** Rows PostgreSQL cannot hold as they are, recorded (with why) in forward_dead_letters. */
  deadLettered: number;
  /** Batches committed by this run. */
  batches: number;
  /** The file position shipped up to (the checkpoint). */
  position: number;
  /** The file's head position at the last look. */
  head: number;
  /** `shipping`: rows are being sent; `following`: caught up, polling for more; `retrying`: waiting after a transient failure. */
  state: 'shipping' | 'following' | 'retrying';
}

/** What a {@link runForward} run did, returned when it is caught up (or, following, when stopped). */
export interface ForwardResult {
  /** null only for an empty seed-written file, which has nothing to name it by yet. */
  source: string | null;
  /** Rows inserted by this run. */
  forwarded: number;
  /** Rows this run found already present by event_id. */
  duplicates: number;
  /** Rows recorded in forward_dead_letters instead of event_log (each also reported through `log`). */
  deadLettered: number;
  /** Batches committed by this run. */
  batches: number;
  /** The file position shipped up to (the checkpoint). */
  position: number;
  /** The file's head position at the last look. */
  head: number;
}
