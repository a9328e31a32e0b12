import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import Database from 'better-sqlite3';
import {
  checkpointPages,
  WAL_CHECKPOINT_MAX_PAGES,
  WAL_CHECKPOINT_PAGES,
  WAL_SIZE_LIMIT_BYTES,
} from '../../../src-core/store/sqlite/connection';
import { WAL_SAFETY_INTERVALS } from '../../../src-core/store/sqlite/wal/wal-checkpoints';
import { prepared } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

describe('writer connection pragmas', () => {
  const tmp = tempDir();
  afterEach(() => tmp.cleanup());

  it('checkpoints every WAL_CHECKPOINT_PAGES pages and keeps the WAL file within WAL_SIZE_LIMIT_BYTES', () => {
    const file = tmp.file('events.db');
    const store = SqliteEventStore.open({ file });
    try {
      expect(store.walCheckpoints?.interval).toBe(WAL_CHECKPOINT_PAGES);
      // SQLite's own checkpoint, in a commit, is the safety net behind the checkpointer thread.
      expect(store.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_SAFETY_INTERVALS * WAL_CHECKPOINT_PAGES);
      expect(store.connection.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES);
      // Below the interval nothing is checkpointed: the WAL holds every commit's pages.
      for (let i = 0; i < 60; i++) {
        store.appendBatch(
          Array.from({ length: 100 }, (_, j) =>
            prepared({ event_type: 'T', aggregate_type: 'thing', aggregate_id: `a${j}`, payload: { pad: 'x'.repeat(1000), i } }),
          ),
        );
      }
      const [{ log, checkpointed }] = store.connection.pragma('wal_checkpoint(PASSIVE)') as [{ log: number; checkpointed: number }];
      // ~6 MB of events: SQLite's default interval (1,000 pages) would have checkpointed and restarted the WAL.
      expect(log).toBeGreaterThan(1000);
      expect(log).toBeLessThan(WAL_CHECKPOINT_PAGES);
      expect(checkpointed).toBe(log);
      expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES + 64 * 4096);
    } finally {
      store.close();
    }
    // Under durability 'full' every commit syncs the WAL: SQLite's own interval stays.
    const full = SqliteEventStore.open({ file, durability: 'full' });
    try {
      expect(full.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      full.close();
    }
    // A reader sets neither: it never checkpoints.
    const reader = SqliteEventStore.open({ file, readOnly: true });
    try {
      expect(reader.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      reader.close();
    }
  });

  it('lets a large file checkpoint less often: a quarter of its pages, within WAL_CHECKPOINT_PAGES..WAL_CHECKPOINT_MAX_PAGES', () => {
    expect(checkpointPages(0)).toBe(WAL_CHECKPOINT_PAGES);
    expect(checkpointPages(4 * WAL_CHECKPOINT_PAGES + 400)).toBe(WAL_CHECKPOINT_PAGES + 100);
    expect(checkpointPages(10 * WAL_CHECKPOINT_MAX_PAGES)).toBe(WAL_CHECKPOINT_MAX_PAGES);
  });

  it('follows the file as it grows while the writer runs, and under durability full keeps SQLite’s interval', () => {
    // 512-byte pages: 60,000 of them are a 30 MB file (the rule counts pages).
    const file = tempDir('checkpoint-interval-').file('growing.db');
    const setup = new Database(file);
    setup.pragma('page_size = 512');
    setup.exec('CREATE TABLE filler (b BLOB)');
    setup.close();
    const store = SqliteEventStore.open({ file });
    const append = (n: number): void => {
      for (let i = 0; i < n; i++) store.append(prepared({ event_type: 'T', aggregate_type: 'thing', aggregate_id: 'a', payload: { i } }));
    };
    const interval = (): number => store.walCheckpoints!.interval;
    try {
      expect(interval()).toBe(WAL_CHECKPOINT_PAGES);
      // Another connection makes the file large (as months of events would).
      const other = new Database(file);
      other.prepare('INSERT INTO filler VALUES (zeroblob(?))').run(30 * 1024 * 1024);
      other.close();
      const pages = store.connection.pragma('page_count', { simple: true }) as number;
      expect(pages).toBeGreaterThan(60_000);
      append(1024); // the writer looks at the file's size every 1,024 commits
      // The size it read at the 1,024th commit: between the size before the appends and after them.
      expect(interval()).toBeGreaterThanOrEqual(checkpointPages(pages));
      expect(interval()).toBeLessThanOrEqual(checkpointPages(store.connection.pragma('page_count', { simple: true }) as number));
      expect(store.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_SAFETY_INTERVALS * interval());
      expect(checkpointPages(pages)).toBeGreaterThan(WAL_CHECKPOINT_PAGES);
    } finally {
      store.close();
    }
    // Opened again, the interval comes from the file's size at once.
    const again = SqliteEventStore.open({ file });
    try {
      expect(again.walCheckpoints!.interval).toBeGreaterThan(WAL_CHECKPOINT_PAGES);
    } finally {
      again.close();
    }
    const full = SqliteEventStore.open({ file, durability: 'full' });
    try {
      full.append(prepared({ event_type: 'T', aggregate_type: 'thing', aggregate_id: 'b', payload: {} }));
      expect(full.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      expect(full.walCheckpoints).toBeNull();
    } finally {
      full.close();
    }
  });
});
