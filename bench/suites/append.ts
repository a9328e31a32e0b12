import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UuidV7Generator } from '../../src-core/events/ids';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { createSeedTable, fillEvent, prefill, rawRow } from '../lib/fixtures';
import { median, rate, timeMs, type BenchContext, type Figures } from '../lib/figures';

const ORDER_PLUGIN = 'catalyst-events/plugins/order';

/** The seed guide's EventStore.append: MAX()+1 then INSERT, autocommit, default journal and sync. */
function seedStyle(file: string, count: number): number {
  const db = new Database(file);
  createSeedTable(db);
  const next = db.prepare(
    'SELECT COALESCE(MAX(sequence_number), 0) + 1 FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?',
  ).pluck();
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
 * A raw prepared INSERT, same pragmas as our store: the per-event ceiling. Into our schema
 * (triggers, position table, correlation index) unless `seedTable`.
 */
function rawInsert(file: string, count: number, batch: number, seedTable = false): number {
  if (!seedTable) SqliteEventStore.open({ file }).close(); // our schema, WAL
  const db = new Database(file);
  if (seedTable) createSeedTable(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
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

async function ours(
  file: string,
  count: number,
  options: { mode: 'sync' | 'buffered'; durability?: 'normal' | 'full'; batchSize?: number; offset?: number },
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
  const ms = timeMs(() => {
    for (let i = 0; i < count; i++) catalyst.emitter.emit(fillEvent(offset + i));
    catalyst.emitter.flush();
  });
  await catalyst.close();
  if (notified !== count) throw new Error(`listeners saw ${notified} of ${count} events`);
  return rate(count, ms);
}

export async function appendSuite(ctx: BenchContext): Promise<Figures> {
  const n = ctx.quick
    ? { seed: 300, single: 3000, full: 300, batch: 30_000, big: 200_000, trials: 3 }
    : { seed: 1500, single: 15_000, full: 1500, batch: 150_000, big: 1_000_000, trials: 3 };
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
  const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)])) as Record<string, number>;
  const big = median(atBig);
  const empty = median(emptyAgain);
  const eps = 'events/s';
  const bigLabel = n.big >= 1_000_000 ? '1m' : `${n.big / 1000}k`;
  return {
    'append.seed_style': { value: m.seed!, unit: eps, note: 'MAX()+1 then INSERT, autocommit, rollback journal' },
    'append.raw_single': { value: m.single!, unit: eps, note: 'raw INSERT, one txn per event, WAL/NORMAL, same schema' },
    'append.our_schema_vs_seed_schema': {
      value: m.single!,
      unit: eps,
      ratio: m.single! / m.singleSeedTable!,
      baseline: 'raw INSERT into the seed\'s bare table',
      note: 'what the position table and correlation index cost per single-event transaction',
    },
    'append.raw_batch': { value: m.rawBatch!, unit: eps, note: 'raw INSERT, 1,000 per txn' },
    'append.sync_vs_seed': { value: m.sync!, unit: eps, ratio: m.sync! / m.seed!, baseline: 'append.seed_style', goal: '>= 10' },
    'append.sync_vs_raw_single': { value: m.sync!, unit: eps, ratio: m.sync! / m.single!, baseline: 'append.raw_single', goal: '>= 0.7' },
    'append.sync_full_vs_seed': { value: m.full!, unit: eps, ratio: m.full! / m.seed!, baseline: 'append.seed_style', goal: '>= 3' },
    'append.buffered_vs_raw_batch': { value: m.buffered!, unit: eps, ratio: m.buffered! / m.rawBatch!, baseline: 'append.raw_batch', goal: '>= 0.7' },
    'append.buffered_at_1m_vs_empty': {
      value: big,
      unit: eps,
      ratio: big / empty,
      baseline: 'buffered append on an empty log',
      goal: '>= 0.8',
      note: `log already holding ${bigLabel} events`,
    },
  };
}
