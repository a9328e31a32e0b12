import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UuidV7Generator } from '../../src-core/events/ids';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { WAL_CHECKPOINT_PAGES } from '../../src-core/store/sqlite/connection';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import type { NewEvent } from '../../src-core';
import { createSeedTable, fillEvent, prefill, rawRow } from '../lib/fixtures';
import { median, rate, timeMs, type BenchContext, type Figures } from '../lib/figures';

const ORDER_PLUGIN = 'catalyst-events/plugins/order';

/** The seed guide's EventStore.append: MAX()+1 then INSERT, autocommit, default journal and sync. */
function seedStyle(file: string, count: number): number {
  const db = new Database(file);
  createSeedTable(db);
  const next = db
    .prepare('SELECT COALESCE(MAX(sequence_number), 0) + 1 FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?')
    .pluck();
  const insert = db.prepare('INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const ids = new UuidV7Generator();
  const ms = timeMs(() => {
    for (let i = 0; i < count; i++) {
      const e = fillEvent(i);
      const seq = next.get(e.aggregate_type, e.aggregate_id) as number;
      insert.run(...rawRow(ids, e, seq));
    }
  });
  db.close();
  return rate(count, ms);
}

/**
 * A raw prepared INSERT, same pragmas as our store (WAL, synchronous NORMAL, our checkpoint
 * interval): the per-event ceiling. Into our schema
 * (triggers, position table, correlation index) unless `seedTable`.
 */
function rawInsert(file: string, count: number, batch: number, seedTable = false): number {
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

/**
 * ~1,000 live aggregates whose ids are not in creation order (hashes, as UUIDs or exchange
 * order ids are): each append lands in the middle of the aggregate index, not at its edge.
 */
export function manyAggregatesEvent(i: number): NewEvent {
  const e = fillEvent(i);
  const id = `ord-${(Math.imul((i % 1000) + 1, 2654435761) >>> 0).toString(36)}`;
  return { ...e, aggregate_id: id, payload: { ...e.payload, order_id: id } };
}

async function ours(
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

/**
 * The longest a sync emitBatch of 100 events kept the bot waiting, over enough events for the
 * WAL to be checkpointed several times: a checkpoint in a commit stops the caller for as long
 * as it copies; on the checkpointer thread it does not.
 */
async function syncStalls(file: string, count: number): Promise<{ p50: number; p99: number; max: number; checkpoints: number }> {
  const catalyst = await createCatalyst({
    db: file,
    durability: 'normal',
    plugins: [ORDER_PLUGIN],
    emitter: { mode: 'sync', handleSignals: false },
  });
  const waits: number[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch: NewEvent[] = [];
    for (let j = i; j < i + 100; j++) batch.push(fillEvent(j));
    const start = performance.now();
    catalyst.emitter.emitBatch(batch);
    waits.push(performance.now() - start);
  }
  const store = catalyst.store as unknown as SqliteEventStore;
  const checkpoints = store.walCheckpoints?.background?.ran ?? 0;
  await catalyst.close();
  waits.sort((a, b) => a - b);
  return { p50: waits[waits.length >> 1]!, p99: waits[Math.floor(waits.length * 0.99)]!, max: waits[waits.length - 1]!, checkpoints };
}

export async function appendSuite(ctx: BenchContext): Promise<Figures> {
  const n = ctx.quick
    ? { seed: 300, single: 3000, full: 300, batch: 30_000, big: 200_000, trials: 3, manyTrials: 3 }
    : { seed: 1500, single: 15_000, full: 1500, batch: 150_000, big: 1_000_000, trials: 3, manyTrials: 5 };
  let file = 0;
  const f = () => join(ctx.dir, `append-${file++}.db`);
  const r: Record<string, number[]> = { seed: [], single: [], singleSeedTable: [], sync: [], full: [], rawBatch: [], buffered: [] };
  for (let t = 0; t < n.trials; t++) {
    ctx.log(`append trial ${t + 1}/${n.trials}`);
    r.seed!.push(seedStyle(f(), n.seed));
    r.single!.push(rawInsert(f(), n.single, 1));
    r.singleSeedTable!.push(rawInsert(f(), n.single, 1, true));
    r.sync!.push(await ours(f(), n.single, { mode: 'sync' }));
    r.full!.push(await ours(f(), n.full, { mode: 'sync', durability: 'full' }));
    r.rawBatch!.push(rawInsert(f(), n.batch, 1000));
    r.buffered!.push(await ours(f(), n.batch, { mode: 'buffered' }));
  }
  ctx.log(`prefilling ${n.big.toLocaleString('en-US')} events for the large-log append`);
  const bigFile = f();
  prefill(bigFile, n.big);
  const atBig: number[] = [];
  const emptyAgain: number[] = [];
  for (let t = 0; t < n.trials; t++) {
    atBig.push(await ours(bigFile, n.batch / 3, { mode: 'buffered', offset: n.big + t * n.batch }));
    emptyAgain.push(await ours(f(), n.batch / 3, { mode: 'buffered' }));
  }
  // 100 validated events per call (sync: one transaction each) against raw 100-row
  // transactions into the seed's bare table, interleaved A/B/A/B.
  const batch100: number[] = [];
  const rawSeed100: number[] = [];
  for (let t = 0; t < n.trials; t++) {
    ctx.log(`append batch100 trial ${t + 1}/${n.trials}`);
    batch100.push(await ours(f(), n.batch / 3, { mode: 'sync', perCall: 100 }));
    rawSeed100.push(rawInsert(f(), n.batch / 3, 100, true));
  }
  ctx.log(`prefilling ${n.big.toLocaleString('en-US')} events over ~1,000 aggregates (ids not in creation order)`);
  const manyFile = f();
  prefill(manyFile, n.big, manyAggregatesEvent);
  const atBigMany: number[] = [];
  const emptyMany: number[] = [];
  // Five pairs, not three: a 50,000-event trial meets one checkpoint or two, and the median of
  // three pairs moved 0.73-0.86 between runs of the same code.
  for (let t = 0; t < n.manyTrials; t++) {
    atBigMany.push(await ours(manyFile, n.batch / 3, { mode: 'buffered', offset: n.big + t * n.batch, make: manyAggregatesEvent }));
    emptyMany.push(await ours(f(), n.batch / 3, { mode: 'buffered', make: manyAggregatesEvent }));
  }
  ctx.log('sync batches of 100: the longest wait');
  const stalls = await syncStalls(f(), n.batch * 2);
  const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const big = median(atBig);
  const empty = median(emptyAgain);
  const b100 = median(batch100);
  const raw100 = median(rawSeed100);
  const bigMany = median(atBigMany);
  const emptyManyRate = median(emptyMany);
  const eps = 'events/s';
  const bigLabel = n.big >= 1_000_000 ? '1m' : `${n.big / 1000}k`;
  return {
    'append.seed_style': { value: m.seed!, unit: eps, note: 'MAX()+1 then INSERT, autocommit, rollback journal' },
    'append.raw_single': { value: m.single!, unit: eps, note: 'raw INSERT, one txn per event, WAL/NORMAL, same schema' },
    'append.our_schema_vs_seed_schema': {
      value: m.single!,
      unit: eps,
      ratio: m.single! / m.singleSeedTable!,
      baseline: "raw INSERT into the seed's bare table",
      note: 'what the position table and correlation index cost per single-event transaction',
    },
    'append.raw_batch': { value: m.rawBatch!, unit: eps, note: 'raw INSERT, 1,000 per txn' },
    'append.sync_vs_seed': { value: m.sync!, unit: eps, ratio: m.sync! / m.seed!, baseline: 'append.seed_style', goal: '>= 10' },
    'append.sync_vs_raw_single': { value: m.sync!, unit: eps, ratio: m.sync! / m.single!, baseline: 'append.raw_single', goal: '>= 0.7' },
    'append.sync_full_vs_seed': { value: m.full!, unit: eps, ratio: m.full! / m.seed!, baseline: 'append.seed_style', goal: '>= 3' },
    'append.buffered_vs_raw_batch': {
      value: m.buffered!,
      unit: eps,
      ratio: m.buffered! / m.rawBatch!,
      baseline: 'append.raw_batch',
      goal: '>= 0.7',
    },
    'append.buffered_at_1m_vs_empty': {
      value: big,
      unit: eps,
      ratio: big / empty,
      baseline: 'buffered append on an empty log',
      goal: '>= 0.8',
      note: `log already holding ${bigLabel} events`,
    },
    'append.batch100_vs_raw_seed_table': {
      value: b100,
      unit: eps,
      ratio: b100 / raw100,
      baseline: "raw INSERTs, 100 per txn, into the seed's bare table",
      goal: '>= 0.6',
      note: 'emitBatch of 100 validated events per call, sync (one BEGIN IMMEDIATE each), interleaved trials',
    },
    'append.sync_batch100_stall_max_ms': {
      value: stalls.max,
      unit: 'ms',
      ratio: stalls.max / stalls.p50,
      baseline: 'the median emitBatch of the same run',
      note: `${(n.batch * 2).toLocaleString('en-US')} events, sync emitBatch of 100: p50 ${stalls.p50.toFixed(2)} ms, p99 ${stalls.p99.toFixed(2)} ms; ${stalls.checkpoints} checkpoints on the checkpointer thread`,
    },
    'append.buffered_at_1m_many_vs_empty': {
      value: bigMany,
      unit: eps,
      ratio: bigMany / emptyManyRate,
      baseline: 'the same buffered append on an empty log',
      goal: '>= 0.8',
      note: `log already holding ${bigLabel} events over ~1,000 live aggregates (ids not in creation order), ${atBigMany.length} interleaved trial pairs (ratios ${atBigMany.map((v, i) => (v / emptyMany[i]!).toFixed(2)).join(', ')})`,
    },
  };
}
