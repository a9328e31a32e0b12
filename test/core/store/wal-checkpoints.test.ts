import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import type { BackgroundCheckpointer } from '../../../src-core/store/sqlite/wal/background-checkpointer';
import { WalCheckpoints, WAL_SAFETY_INTERVALS } from '../../../src-core/store/sqlite/wal/wal-checkpoints';
import { WalIndex } from '../../../src-core/store/sqlite/wal/wal-index';
import { preparedAll } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

/** A file of 512-byte pages: the 10,000-page interval is 5 MB of WAL, reached in seconds. */
function smallPages(file: string): void {
  const setup = new Database(file);
  setup.pragma('page_size = 512');
  setup.pragma('journal_mode = WAL');
  setup.close();
}

const batch = (from: number, size = 100) =>
  preparedAll(
    Array.from({ length: size }, (_, i) => ({
      event_type: 'TICK',
      aggregate_type: 'feed',
      aggregate_id: `f${(from + i) % 50}`,
      payload: { n: from + i, pad: 'x'.repeat(300) },
    })),
  );

describe('WAL checkpoints off the writer’s thread', () => {
  let tmp = tempDir('wal-checkpoints-');
  afterEach(() => {
    tmp.cleanup();
    tmp = tempDir('wal-checkpoints-');
  });

  it('copies the WAL on the checkpointer thread, and the writer starts it over once it is an interval long', async () => {
    const file = tmp.file('events.db');
    smallPages(file);
    const store = SqliteEventStore.open({ file });
    const wal = store.walCheckpoints!;
    const interval = wal.interval;
    let written = 0;
    let longest = 0;
    let restarts = 0;
    let previous = 0;
    try {
      // Until the thread is asked for its first checkpoint: half an interval waiting.
      while (wal.background === null) {
        store.appendBatch(batch(written));
        written += 100;
        longest = Math.max(longest, wal.wal()!.frames);
      }
      expect(wal.settle(30_000)).toBe(true);
      expect(wal.background.ran).toBeGreaterThanOrEqual(1);
      const copied = wal.wal()!;
      // The thread copied it: SQLite's own checkpoint (in a commit) waits for four intervals.
      expect(copied.frames).toBeLessThan(interval);
      expect(copied.backfilled).toBeGreaterThanOrEqual(interval / 2);
      expect(store.connection.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_SAFETY_INTERVALS * interval);

      // On through three intervals of WAL, writing as fast as the writer can.
      while (restarts < 3) {
        store.appendBatch(batch(written));
        written += 100;
        const frames = wal.wal()!.frames;
        if (frames < previous) restarts++;
        previous = frames;
        longest = Math.max(longest, frames);
        expect(written).toBeLessThan(1_000_000); // (a WAL that never restarts ends the test)
      }
      // Started over by the writer after each interval (~1.2 intervals long on a quiet machine,
      // longer while the thread waits for a core), never left to SQLite's safety net.
      expect(longest).toBeLessThan(WAL_SAFETY_INTERVALS * interval);
      expect(store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(written);
      expect(store.connection.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
    // The thread closed its connection first: the store's close was the last and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const again = SqliteEventStore.open({ file, readOnly: true });
    try {
      expect((await again.stats()).total).toBe(written);
    } finally {
      again.close();
    }
  });

  it('leaves checkpoints to SQLite’s interval where no thread can start', () => {
    const file = tmp.file('no-thread.db');
    smallPages(file);
    const db = new Database(file);
    db.exec('CREATE TABLE t (b BLOB)');
    let starts = 0;
    const wal = new WalCheckpoints(db, 5000, () => {
      starts++;
      throw new Error('no checkpointer entry in this build');
    });
    const index = new WalIndex(file);
    const insert = db.prepare('INSERT INTO t VALUES (zeroblob(400))');
    const commit = db.transaction(() => {
      for (let i = 0; i < 100; i++) insert.run();
    });
    let longest = 0;
    let restarted = false;
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_SAFETY_INTERVALS * wal.interval);
      for (let n = 0; n < 2_000 && !restarted; n++) {
        commit();
        wal.committed(100);
        const frames = index.read()!.frames;
        restarted = frames < longest;
        longest = Math.max(longest, frames);
      }
      expect(starts).toBe(1); // asked once, never again
      expect(wal.background).toBeNull();
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(wal.interval);
      expect(restarted).toBe(true);
      expect(longest).toBeLessThan(wal.interval * 1.2);
    } finally {
      wal.close();
      index.close();
      db.close();
    }
  });

  it('a checkpoint that fails after a commit (a full disk, say) never fails the append that committed', () => {
    const file = tmp.file('failing.db');
    smallPages(file);
    const real = new Database(file);
    real.exec('CREATE TABLE t (b BLOB)');
    let failed = 0;
    // The writer's own checkpoints fail; everything else is the real connection.
    const db = new Proxy(real, {
      get(target, prop) {
        if (prop === 'pragma') {
          return (sql: string, options?: Database.PragmaOptions) => {
            if (sql.startsWith('wal_checkpoint')) {
              failed++;
              throw new Error('disk I/O error');
            }
            return target.pragma(sql, options);
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    // A thread that copies at once (another connection), and a reader that keeps the WAL from
    // starting over by itself, as a viewer would: the WAL grows an interval long with little left
    // to copy, and the writer's finishing copy comes.
    const copier = new Database(file);
    const reader = new Database(file);
    const thread = {
      alive: true,
      running: false,
      counts: { ran: 0, failed: 0 },
      checkpoint: () => {
        // The reader moves to the newest commit first (its mark then holds the WAL's frames).
        if (reader.inTransaction) reader.exec('COMMIT');
        reader.exec('BEGIN');
        reader.prepare('SELECT COUNT(*) FROM t').get();
        copier.pragma('wal_checkpoint(PASSIVE)');
        thread.counts.ran++;
        return true;
      },
      settle: () => true,
      close: () => undefined,
    };
    const wal = new WalCheckpoints(db, 5000, () => thread as unknown as BackgroundCheckpointer);
    const insert = real.prepare('INSERT INTO t VALUES (zeroblob(400))');
    const commit = real.transaction(() => {
      for (let i = 0; i < 100; i++) insert.run();
    });
    let commits = 0;
    try {
      while (failed < 2 && commits < 5_000) {
        commit();
        commits++;
        expect(() => wal.committed(100)).not.toThrow();
      }
      expect(failed).toBe(2);
      expect(thread.counts.ran).toBeGreaterThan(0);
      expect(real.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(commits * 100);
    } finally {
      wal.close();
      if (reader.inTransaction) reader.exec('COMMIT');
      reader.close();
      copier.close();
      real.close();
    }
  });

  it('with no wal-index to read (exclusive locking keeps it in memory), leaves checkpoints to SQLite’s interval', () => {
    const file = tmp.file('exclusive.db');
    const db = new Database(file);
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (b BLOB)');
    let starts = 0;
    const wal = new WalCheckpoints(db, 5000, () => {
      starts++;
      throw new Error('not expected');
    });
    try {
      expect(existsSync(`${file}-shm`)).toBe(false);
      for (let n = 0; n < 40; n++) {
        db.prepare('INSERT INTO t VALUES (zeroblob(4000))').run();
        wal.committed(1);
      }
      expect(starts).toBe(0);
      expect(wal.background).toBeNull();
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(wal.interval);
    } finally {
      wal.close();
      db.close();
    }
  });

  it('reads the WAL’s frame counts from the wal-index as SQLite reports them', () => {
    const file = tmp.file('index.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (b BLOB)');
    const index = new WalIndex(file);
    try {
      for (let i = 0; i < 50; i++) db.prepare('INSERT INTO t VALUES (zeroblob(10000))').run();
      const before = index.read()!;
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as [{ log: number; checkpointed: number }];
      expect(before.frames).toBe(result.log);
      expect(before.backfilled).toBe(0);
      expect(index.read()).toEqual({ frames: result.log, backfilled: result.checkpointed });
    } finally {
      index.close();
      db.close();
    }
    expect(new WalIndex(tmp.file('absent.db')).read()).toBeNull();
  });
});
