import type Database from 'better-sqlite3';
import { checkpointPages } from '../connection';

/** Commits between two looks at the file's size. */
const EVERY = 1024;

/**
 * Keeps a writer's checkpoint interval in step with its file as the log grows (see
 * checkpointPages): a bot that opened a small file and runs for months gets the interval of the
 * file it has now. Every EVERY commits it reads `page_count` (the file header: cheap).
 */
export class CheckpointInterval {
  private commits = 0;
  private pages: number;
  private readonly pageCount: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.pageCount = db.prepare('PRAGMA page_count').pluck();
    this.pages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  }

  committed(): void {
    if (++this.commits % EVERY !== 0) return;
    const next = checkpointPages(this.pageCount.get() as number);
    if (next === this.pages) return;
    this.db.pragma(`wal_autocheckpoint = ${next}`);
    this.pages = next;
  }
}
