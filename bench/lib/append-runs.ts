import Database from 'better-sqlite3';
import { UuidV7Generator } from '../../src-core/events/ids';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { WAL_CHECKPOINT_PAGES } from '../../src-core/store/sqlite/connection';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import type { NewEvent } from '../../src-core';
import { createSeedTable, fillEvent, rawRow } from './fixtures';
import { rate, timeMs } from './figures';

/** The plugin every append trial registers (its ORDER_PARTIALLY_FILLED is the fill). */
export const ORDER_PLUGIN = 'catalyst-events/plugins/order';

/**
 * A raw prepared INSERT, same pragmas as our store (WAL, synchronous NORMAL, our checkpoint
 * interval): the per-event ceiling. Into our schema
 * (triggers, position table, correlation index) unless `seedTable`.
 */
export function rawInsert(file: string, count: number, batch: number, seedTable = false): number {
  if (!seedTable) SqliteEventStore.open({ file }).close(); // our schema, WAL
  const db = new Database(file);
  if (seedTable) createSeedTable(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  const insert = db.prepare('INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const ids = new UuidV7Generator();
  const seq = new Map<string, number>();
  const write = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const e = fillEvent(i);
      const s = (seq.get(e.aggregate_id) ?? 0) + 1;
      seq.set(e.aggregate_id, s);
      insert.run(...rawRow(ids, e, s));
    }
  });
  const ms = timeMs(() => {
    for (let i = 0; i < count; i += batch) write.immediate(i, Math.min(count, i + batch));
  });
  db.close();
  return rate(count, ms);
}

export async function ours(
  file: string,
  count: number,
  options: {
    mode: 'sync' | 'buffered';
    durability?: 'normal' | 'full';
    batchSize?: number;
    offset?: number;
    /** Events per emitBatch call (default: one emit per event). */
    perCall?: number;
    make?: (i: number) => NewEvent;
  },
): Promise<number> {
  const catalyst = await createCatalyst({
    db: file,
    durability: options.durability ?? 'normal',
    plugins: [ORDER_PLUGIN],
    emitter: { mode: options.mode, batchSize: options.batchSize ?? 1000, queueCapacity: 10_000, handleSignals: false },
  });
  let notified = 0;
  catalyst.emitter.onAll(() => {
    notified++;
  });
  const offset = options.offset ?? 0;
  const make = options.make ?? fillEvent;
  const perCall = options.perCall ?? 1;
  const ms = timeMs(() => {
    if (perCall === 1) {
      for (let i = 0; i < count; i++) catalyst.emitter.emit(make(offset + i));
    } else {
      for (let i = 0; i < count; i += perCall) {
        const batch: NewEvent[] = [];
        for (let j = i; j < Math.min(count, i + perCall); j++) batch.push(make(offset + j));
        catalyst.emitter.emitBatch(batch);
      }
    }
    catalyst.emitter.flush();
  });
  await catalyst.close();
  if (notified !== count) throw new Error(`listeners saw ${notified} of ${count} events`);
  return rate(count, ms);
}
