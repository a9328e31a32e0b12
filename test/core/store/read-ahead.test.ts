/**
 * A long lean stream hands its later pages to the reader thread (a real worker with its own
 * read-only connection) while the store's thread folds. What it yields must be exactly what the
 * store's own thread reads: every row, corrupt ones flagged by the row mapper, types and
 * metadata as asked, range bounds kept; a stream left early, a thread that goes away mid-stream
 * and a caller's transaction all read on without losing a row.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AggregateProjection, AggregateRange } from '../../../src-core';
import { positionJoin } from '../../../src-core/store/sqlite/positions';
import { ReadAggregate } from '../../../src-core/store/sqlite/read/read-aggregate';
import { ReadAhead, readerThreadUrl } from '../../../src-core/store/sqlite/read/read-ahead/read-ahead';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

const PROJECTION: AggregateProjection = { lean: true, metadataTypes: ['U'] };
let file: string;
const readers: ReadAhead[] = [];

/** 12,000 rows of `acc:a` (twelve pages), interleaved with `acc:b`, with two types and rows only the row mapper can judge. */
beforeAll(() => {
  file = tempDir('read-ahead-').file('events.db');
  const store = SqliteEventStore.open({ file });
  const append = (from: number, to: number): void => {
    const events = [];
    for (let i = from; i < to; i++) {
      // The type changes now and then, so pages start with a type their predecessor did not end with.
      const type = Math.floor(i / 2_500) % 2 === 0 ? 'T' : 'U';
      events.push(prepared({ event_type: type, aggregate_type: 'acc', aggregate_id: 'a', payload: { i }, created_at: 1_000 + i }));
      events.push(prepared({ event_type: 'T', aggregate_type: 'acc', aggregate_id: 'b', payload: { i }, created_at: 1_000 + i }));
    }
    for (let i = 0; i < events.length; i += 2_000) store.appendBatch(events.slice(i, i + 2_000));
  };
  append(0, 7_000);
  store.close();
  // Rows another writer left, on pages the thread reads: not JSON, a payload that is JSON only
  // inside a larger text, corrupt metadata, and metadata of a type whose metadata is asked for.
  const raw = new Database(file);
  const insert = raw.prepare(
    `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
     VALUES (?, ?, 'acc', 'a', ?, ?, ?, ?)`,
  );
  insert.run('raw-1', 'T', '{not json', null, 9_000, 7_001);
  insert.run('raw-2', 'T', '{"i": 1}],[0', null, 9_001, 7_002);
  insert.run('raw-3', 'U', '{"i": 2}', '{"source": ', 9_002, 7_003);
  insert.run('raw-4', 'U', '{"i": 3}', '{"source": "seed", "version": "1.0"}', 9_003, 7_004);
  raw.close();
  const more = SqliteEventStore.open({ file });
  const events = [];
  for (let i = 7_004; i < 12_000; i++) {
    events.push(
      prepared({ event_type: i % 3 === 0 ? 'U' : 'T', aggregate_type: 'acc', aggregate_id: 'a', payload: { i }, created_at: 9_004 + i }),
    );
  }
  for (let i = 0; i < events.length; i += 2_000) more.appendBatch(events.slice(i, i + 2_000));
  more.close();
});
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});

/** A ReadAhead on the file, once its thread has opened it (it starts without anyone waiting for it). */
async function readyReader(path = file): Promise<ReadAhead> {
  const reader = new ReadAhead(path);
  readers.push(reader);
  await vi.waitFor(() => expect(reader.available).toBe(true), { timeout: 60_000, interval: 20 });
  return reader;
}

/** `test` with a ready reader thread and a read-only connection of its own on `path` (closed after it; the thread, in afterEach). */
async function withReader(test: (reader: ReadAhead, db: Database.Database) => void, path = file): Promise<void> {
  const reader = await readyReader(path);
  const db = new Database(path, { readonly: true });
  try {
    test(reader, db);
  } finally {
    db.close();
  }
}

function streamed(db: Database.Database, reader: ReadAhead | null, range: AggregateRange = {}): unknown[] {
  return [...new ReadAggregate(db, positionJoin('log_rowid'), () => reader).stream('acc', 'a', range, PROJECTION)];
}

describe('reading ahead on the reader thread', () => {
  it('yields exactly what the store’s own thread reads, the later pages read by the thread', () =>
    withReader((reader, db) => {
      for (const range of [{}, { fromSequence: 500, toSequence: 11_000 }, { untilTime: 1_000 + 6_500 }]) {
        const pages = vi.spyOn(reader, 'next');
        const ahead = streamed(db, reader, range);
        const own = streamed(db, null, range);
        expect(ahead).toEqual(own);
        // The range's pages after the first four came from the thread.
        expect(pages.mock.calls.length, JSON.stringify(range)).toBeGreaterThanOrEqual(2);
        pages.mockRestore();
      }
      const all = streamed(db, reader) as { sequence_number: number; corrupt?: boolean; event_type: string; metadata?: unknown }[];
      expect(all).toHaveLength(12_000);
      expect(all.filter((e) => e.corrupt === true).map((e) => e.sequence_number)).toEqual([7_001, 7_002, 7_003]);
      // Metadata comes only with the asked type.
      expect(all.find((e) => e.sequence_number === 7_004)).toMatchObject({ event_type: 'U', metadata: { source: 'seed' } });
      expect(all.find((e) => e.sequence_number === 7_005)).not.toHaveProperty('metadata');
      expect(all.map((e) => e.event_type)).toContain('U');
    }));

  it('a stream left early stops the thread’s stream; the next one reads ahead again', () =>
    withReader((reader, db) => {
      const read = new ReadAggregate(db, positionJoin('log_rowid'), () => reader);
      let n = 0;
      for (const _ of read.stream('acc', 'a', {}, PROJECTION)) if (++n === 6_000) break;
      expect(db.inTransaction).toBe(false);
      expect(reader.available).toBe(true);
      const pages = vi.spyOn(reader, 'next');
      expect(streamed(db, reader)).toEqual(streamed(db, null));
      expect(pages).toHaveBeenCalled();
    }));

  it('when the thread goes away mid-stream, the stream reads on in its own thread and loses nothing', () =>
    withReader((reader, db) => {
      const read = new ReadAggregate(db, positionJoin('log_rowid'), () => reader);
      const got: unknown[] = [];
      for (const event of read.stream('acc', 'a', {}, PROJECTION)) {
        got.push(event);
        if (got.length === 6_000) reader.close(); // pages already in stay valid; the rest are read here
      }
      expect(got).toEqual(streamed(db, null));
      expect(reader.available).toBe(false);
    }));

  it('rows an archive move takes after the stream began are still read: the thread’s later snapshot is refused', async () => {
    const copy = tempDir('read-ahead-moved-').file('events.db');
    copyFileSync(file, copy);
    await withReader((reader, db) => {
      const before = streamed(db, null);
      const pages = vi.spyOn(reader, 'next');
      const stream = new ReadAggregate(db, positionJoin('log_rowid'), () => reader).stream('acc', 'a', {}, PROJECTION);
      const got: unknown[] = [];
      for (let step = stream.next(); !step.done; step = stream.next()) {
        got.push(step.value);
        if (got.length === 2_000) {
          // As an archive move does: rows the stream has not reached leave the file (the
          // stream's own snapshot, taken at its start, still holds them).
          const mover = new Database(copy);
          mover.exec('DROP TRIGGER trg_event_log_no_delete; DROP TRIGGER trg_event_position_no_delete');
          mover.exec(
            `DELETE FROM event_position WHERE log_rowid IN (SELECT rowid FROM event_log WHERE aggregate_id = 'a' AND sequence_number BETWEEN 4000 AND 6000)`,
          );
          mover.exec(`DELETE FROM event_log WHERE aggregate_id = 'a' AND sequence_number BETWEEN 4000 AND 6000`);
          const left = mover.prepare(`SELECT COUNT(*) FROM event_log WHERE aggregate_id = 'a'`).pluck().get();
          mover.close();
          expect(left).toBe(12_000 - 2_001);
        }
      }
      expect(got).toEqual(before);
      // The thread was asked, and its page refused.
      expect(pages).toHaveBeenCalledTimes(1);
    }, copy);
  });

  it('inside a caller’s transaction the stream stays in the caller’s snapshot (its own thread)', () =>
    withReader((reader, db) => {
      const pages = vi.spyOn(reader, 'next');
      const inside = db.transaction(() => streamed(db, reader))();
      expect(inside).toHaveLength(12_000);
      expect(pages).not.toHaveBeenCalled();
    }));

  it('the store starts its reader thread for long lean streams and stops it when closed', async () => {
    const store = SqliteEventStore.open({ file, readOnly: true });
    try {
      const own = (store as unknown as { readerThread(): ReadAhead | null }).readerThread();
      expect(own).toBeInstanceOf(ReadAhead);
      await vi.waitFor(() => expect(own!.available).toBe(true), { timeout: 60_000, interval: 20 });
      const pages = vi.spyOn(own!, 'next');
      const db = new Database(file, { readonly: true });
      expect([...store.streamAggregate('acc', 'a', {}, PROJECTION)]).toEqual(streamed(db, null));
      db.close();
      expect(pages).toHaveBeenCalled();
      store.close();
      expect(own!.available).toBe(false);
    } finally {
      store.close();
    }
  });

  it('is found beside the sources (tsx) and, once built, as dist/reader-thread.mjs wherever the store was bundled', () => {
    expect(readerThreadUrl().href).toMatch(/src-core\/store\/sqlite\/read\/read-ahead\/source-entry\.mjs$/);
    const dist = tempDir('reader-thread-url-').file('dist');
    mkdirSync(join(dist, 'bin', 'chunks'), { recursive: true });
    mkdirSync(join(dist, 'chunks'));
    writeFileSync(join(dist, 'reader-thread.mjs'), '');
    const entry = pathToFileURL(join(dist, 'reader-thread.mjs')).href;
    for (const from of ['index.mjs', 'index.cjs', 'chunks/store-abc.mjs', 'bin/chunks/main-abc.mjs']) {
      expect(readerThreadUrl(pathToFileURL(join(dist, from)).href).href, from).toBe(entry);
    }
    // No entry: the store reads in its own thread (readerThread() answers null), the URL says where it looked.
    expect(() => readerThreadUrl(pathToFileURL(join(dist, '..', 'elsewhere', 'index.mjs')).href)).toThrow(/reader-thread\.mjs/);
  });
});
