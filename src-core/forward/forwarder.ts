import { CatalystError, StoreOpenError, StoreWriteError } from '../errors';
import { redactSecrets, redactUrl } from '../store/postgres/connection';
import { isArchivedPosition } from '../store/sqlite/archive-segment';
import { isTransientPgError, PgSink } from './pg-sink';
import { ProgressLine } from './progress-line';
import { SqliteSource } from './sqlite-source';
import type { ForwardOptions, ForwardProgress, ForwardResult } from './types';

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The error in one line, with any secret of the URL (a password, wherever it sits) masked. */
function describe(error: unknown, url: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = redactSecrets(error instanceof Error ? error.message : String(error), url);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * Ships one SQLite log to PostgreSQL in batches, each batch and its checkpoint in one
 * transaction, resuming from the checkpoint PostgreSQL holds. A lost connection means:
 * reconnect, re-read the checkpoint (the last COMMIT may or may not have landed), go on.
 */
class Forwarder {
  private sink: PgSink | null = null;
  private connectedOnce = false;
  private readonly progress: ForwardProgress;
  private readonly line: ProgressLine;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly retries: number;
  private readonly log: (message: string) => void;

  constructor(
    private readonly file: SqliteSource,
    source: string,
    private readonly options: ForwardOptions,
  ) {
    this.batchSize = Math.max(1, Math.min(10_000, Math.floor(options.batchSize ?? 1000)));
    this.pollMs = Math.max(10, options.pollMs ?? 250);
    this.retries = options.retries ?? (options.follow ? Number.POSITIVE_INFINITY : 3);
    this.log = options.log ?? ((m) => process.stderr.write(`forward: ${m}\n`));
    this.line = ProgressLine.forStream(options.progress === undefined ? process.stderr : options.progress);
    this.progress = { source, forwarded: 0, duplicates: 0, deadLettered: 0, batches: 0, position: 0, head: file.head(), state: 'shipping' };
  }

  private report(force = false): void {
    this.options.onProgress?.({ ...this.progress });
    this.line.update(this.progress, force);
  }

  private async connect(): Promise<PgSink> {
    const sink = await PgSink.connect(this.options.to, this.options.clock);
    try {
      const checkpoint = await sink.checkpoint(this.progress.source);
      // The checkpoint must name a row of THIS file that PostgreSQL holds; otherwise another
      // file was shipped under this source name, and resuming would silently skip rows.
      const atCheckpoint = checkpoint > 0 ? this.file.eventIdAt(checkpoint) : null;
      // Retention: an archive may have moved the checkpoint's row to a segment; this file's own
      // archive log says so, and the rows after it are still here to ship.
      const archived = checkpoint > 0 && atCheckpoint === null && isArchivedPosition(this.file.file, checkpoint);
      if (checkpoint > 0 && !archived && (atCheckpoint === null || !(await sink.hasEvent(atCheckpoint)))) {
        throw new StoreOpenError(
          this.file.file,
          `PostgreSQL already holds source '${this.progress.source}' up to position ${checkpoint}, and it is not ` +
            `this file's log (head ${this.file.head()}); forward this file with another --source`,
        );
      }
      this.progress.position = checkpoint;
    } catch (error) {
      await sink.close();
      throw error;
    }
    this.connectedOnce = true;
    return sink;
  }

  async run(): Promise<ForwardResult> {
    const { signal, follow } = this.options;
    let failures = 0;
    try {
      while (!signal?.aborted) {
        try {
          this.sink ??= await this.connect();
          const rows = this.file.readBatch(this.progress.position, this.batchSize);
          this.progress.head = this.file.head();
          if (rows.length === 0) {
            if (!follow) break;
            this.progress.state = 'following';
            this.report();
            await sleep(this.pollMs, signal);
            continue;
          }
          this.progress.state = 'shipping';
          const result = await this.sink.writeBatch(this.progress.source, rows, this.options.beforeCommit);
          this.progress.forwarded += result.inserted;
          this.progress.duplicates += result.duplicates;
          this.progress.deadLettered += result.deadLetters.length;
          for (const dead of result.deadLetters) {
            this.log(
              `row at position ${dead.position}${dead.event_id ? ` (event ${dead.event_id})` : ''} cannot be stored in ` +
                `PostgreSQL as it is: ${dead.reason}; recorded in forward_dead_letters, forwarding goes on`,
            );
          }
          this.progress.batches += 1;
          this.progress.position = result.position;
          failures = 0;
          this.report();
        } catch (error) {
          await this.sink?.close();
          this.sink = null;
          if (!isTransientPgError(error) || failures >= this.retries) throw this.typed(error);
          failures += 1;
          const delay = Math.min(this.options.maxRetryDelayMs ?? 5000, 100 * 2 ** Math.min(failures, 10));
          this.progress.state = 'retrying';
          this.report(true);
          this.log(`PostgreSQL at ${redactUrl(this.options.to)}: ${describe(error, this.options.to)}; retry ${failures} in ${delay} ms`);
          await sleep(delay, signal);
        }
      }
    } finally {
      await this.sink?.close();
      this.sink = null;
      this.report(true);
      this.line.done();
    }
    const { source, forwarded, duplicates, deadLettered, batches, position, head } = this.progress;
    return { source, forwarded, duplicates, deadLettered, batches, position, head };
  }

  private typed(error: unknown): unknown {
    if (error instanceof CatalystError) return error;
    const where = redactUrl(this.options.to);
    if (!this.connectedOnce) return new StoreOpenError(where, describe(error, this.options.to), { cause: error });
    const code = (error as { code?: unknown } | null)?.code;
    return new StoreWriteError(`forwarding to ${where}: ${describe(error, this.options.to)}`, typeof code === 'string' ? code : undefined, {
      cause: error,
    });
  }
}

/**
 * `catalyst-events forward --db FILE --to URL [--follow] [--source NAME]`: ship the local log
 * to PostgreSQL, idempotently (by event_id) and resumably (checkpoint per source, advanced in
 * the batch's own transaction). Resolves when caught up, or, with `follow`, when aborted.
 */
export async function runForward(options: ForwardOptions): Promise<ForwardResult> {
  const file = new SqliteSource(options.db);
  try {
    let source = options.source ?? file.defaultSourceName();
    // An empty seed-written file has nothing to name it by until its first event arrives.
    while (source === null) {
      if (!options.follow || options.signal?.aborted) {
        return { source: null, forwarded: 0, duplicates: 0, deadLettered: 0, batches: 0, position: 0, head: 0 };
      }
      await sleep(options.pollMs ?? 250, options.signal);
      source = file.defaultSourceName();
    }
    return await new Forwarder(file, source, options).run();
  } finally {
    file.close();
  }
}
