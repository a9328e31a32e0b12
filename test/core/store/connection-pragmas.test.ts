import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { WAL_CHECKPOINT_PAGES, WAL_SIZE_LIMIT_BYTES } from '../../../src-core/store/sqlite/connection';
import { prepared } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

describe('writer connection pragmas', () => {
  const tmp = tempDir();
  afterEach(() => tmp.cleanup());

  it('checkpoints every WAL_CHECKPOINT_PAGES pages and keeps the WAL file within WAL_SIZE_LIMIT_BYTES', () => {
    const file = tmp.file('events.db');
    const store = SqliteEventStore.open({ file });
    try {
      expect(store.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CHECKPOINT_PAGES);
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
});
