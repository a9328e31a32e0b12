import type Database from 'better-sqlite3';
import { checkpointPages } from '../connection';
import { BackgroundCheckpointer } from './background-checkpointer';
import { WalIndex, type WalState } from './wal-index';

/** Commits between two looks at the file's size (the interval follows the file). */
const RESIZE_EVERY = 1024;
/** A look at the WAL after this many commits, or events, since the last (a 100-byte read each). */
const LOOK_COMMITS = 16;
const LOOK_EVENTS = 512;
/**
 * The thread copies each time this share of an interval is waiting: two copies an interval,
 * none of them in a commit. (Four made more copies of the same hot pages, and competed more
 * with the bot and the writer for the cores: 1M-event appends over 1,000 aggregates ran at
 * 35-37k events/s against 40-41k with one copy an interval, measured.)
 */
const THREAD_SHARE = 2;
/** The writer finishes a full WAL itself once no more than what was written since its last look, and this share of an interval, is left to copy. */
const FINISH_SHARE = 16;
/** SQLite's own checkpoint, in the commit that passes it, is the safety net: at this many intervals of WAL. */
export const WAL_SAFETY_INTERVALS = 4;

/** Starts the checkpointer thread for a file; throws where there is none. */
export type StartCheckpointer = (file: string, busyTimeoutMs: number) => BackgroundCheckpointer;

/**
 * When a writer's WAL is copied into the database, and by whom. A checkpoint in the commit
 * that passes the interval (SQLite's way) stops the bot's thread for as long as it copies:
 * ~50 ms for a 10,000-page interval, more on a large log. Here a thread copies the WAL half
 * an interval at a time beside the writer (PASSIVE: it never blocks it), and once the
 * WAL is an interval long the writer copies the little left (about what it wrote since it
 * last looked: the thread copies on until that is all) between two of its own transactions,
 * so that the next one starts the WAL over (a checkpoint beside a busy writer never catches
 * up with it, and the WAL would grow). SQLite's own checkpoint stays, at four
 * intervals, in case the thread falls behind; without a thread (none in this build, or it
 * failed), SQLite's interval is the whole story, as before.
 *
 * The interval follows the file as the log grows (checkpointPages): a bot that opened a
 * small file and runs for months gets the interval of the file it has now.
 */
export class WalCheckpoints {
  private commits = 0;
  private events = 0;
  private pages: number;
  private inline = 0;
  private lastFrames = 0;
  /** undefined: not needed yet; null: none to be had (the store's own thread checkpoints). */
  private thread: BackgroundCheckpointer | null | undefined;
  private readonly pageCount: Database.Statement;
  private readonly index: WalIndex;

  constructor(
    private readonly db: Database.Database,
    private readonly busyTimeoutMs: number,
    private readonly start: StartCheckpointer = (file, busy) => new BackgroundCheckpointer(file, busy),
  ) {
    this.pageCount = db.prepare('PRAGMA page_count').pluck();
    this.pages = checkpointPages(this.pageCount.get() as number);
    this.index = new WalIndex(db.name);
    this.setInline();
  }

  /** The checkpoint interval in pages. */
  get interval(): number {
    return this.pages;
  }

  /** The thread's checkpoints so far (null: no thread started). */
  get background(): { ran: number; failed: number } | null {
    return this.thread ? this.thread.counts : null;
  }

  /** Where the WAL stands now (null: no wal-index to read). */
  wal(): WalState | null {
    return this.index.read();
  }

  /** Waits until the thread has no checkpoint to do (at most `timeoutMs`); whether it has none. */
  settle(timeoutMs: number): boolean {
    return this.thread ? this.thread.settle(timeoutMs) : true;
  }

  /**
   * A transaction of `events` events committed. Never throws: the events are on disk, and a
   * checkpoint that fails here (a full disk, an I/O error) must not turn into an append the
   * caller sees fail; the WAL is copied later, by the next try or by SQLite's own checkpoint.
   */
  committed(events: number): void {
    try {
      this.look(events);
    } catch {
      // (see above)
    }
  }

  private look(events: number): void {
    if (++this.commits % RESIZE_EVERY === 0) this.resize();
    this.events += events;
    if (this.commits % LOOK_COMMITS !== 0 && this.events < LOOK_EVENTS) return;
    this.events = 0;
    if (this.thread === null) return;
    const wal = this.index.read();
    if (!wal) {
      // No wal-index to read (exclusive locking keeps it in memory): SQLite's interval, as before.
      this.thread?.close();
      this.thread = null;
      this.setInline();
      return;
    }
    const behind = wal.frames - wal.backfilled;
    // Frames written since the last look (the WAL may have started over in between).
    const since = wal.frames >= this.lastFrames ? wal.frames - this.lastFrames : wal.frames;
    this.lastFrames = wal.frames;
    const full = wal.frames >= this.pages;
    // The thread, idle, has copied what there was at the last look: what is left is about
    // what was written since, little enough to copy here (half an interval at the very most).
    const little = Math.min(since, this.pages / THREAD_SHARE) + this.pages / FINISH_SHARE;
    if (full && behind <= little && this.thread?.running !== true && !this.db.inTransaction) {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } else if (full || behind >= this.pages / THREAD_SHARE) {
      this.started()?.checkpoint();
    }
  }

  close(): void {
    this.thread?.close();
    this.index.close();
  }

  /** The thread, started on first need; null when there is none (SQLite's interval then applies). */
  private started(): BackgroundCheckpointer | null {
    if (this.thread === undefined) {
      try {
        this.thread = this.start(this.db.name, this.busyTimeoutMs);
      } catch {
        this.thread = null; // no thread entry in this build
      }
    }
    if (this.thread && !this.thread.alive) this.thread = null;
    if (this.thread === null) this.setInline();
    return this.thread;
  }

  private resize(): void {
    const next = checkpointPages(this.pageCount.get() as number);
    if (next === this.pages) return;
    this.pages = next;
    this.setInline();
  }

  private setInline(): void {
    const pages = this.thread === null ? this.pages : this.pages * WAL_SAFETY_INTERVALS;
    if (pages === this.inline) return;
    this.db.pragma(`wal_autocheckpoint = ${pages}`);
    this.inline = pages;
  }
}
