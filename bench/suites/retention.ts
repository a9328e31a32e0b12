import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ManualClock,
  prepareEvent,
  Rebuilder,
  ReducerRegistry,
  UuidV7Generator,
  type NewEvent,
  type PreparedEvent,
  type StoredEvent,
} from '../../src-core';
import { runArchive } from '../../src-core/archive/run-archive';
import { exportLog } from '../../src-core/export/export-log';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { median, rate, timeMs, timeMsAsync, type BenchContext, type Figures } from '../lib/figures';
import { T0 } from '../lib/fixtures';

const STEPS = ['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_PARTIALLY_FILLED', 'ORDER_FILLED'] as const;

/** An order's life in four events (~250 bytes of payload each); `orders` of them, one a minute. */
function orderEvents(orders: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (let o = 0; o < orders; o++) {
    const id = `ord-${String(o).padStart(8, '0')}`;
    STEPS.forEach((type, step) => {
      out.push({
        event_type: type,
        aggregate_type: 'order',
        aggregate_id: id,
        payload: {
          order_id: id,
          ticker: ['AAPL', 'MSFT', 'NVDA', 'TSLA'][o % 4],
          side: o % 3 === 0 ? 'sell' : 'buy',
          quantity: 100,
          filled_quantity: step >= 2 ? 50 * (step - 1) : 0,
          filled_price: step >= 2 ? 100 + (o % 97) / 10 : null,
          commission: 0.05 * step,
          fill_time: step >= 2 ? T0 + o * 60_000 + step * 1000 : null,
          liquidity: 'taker',
          trade_id: step >= 2 ? `t-${o}-${step}` : null,
        },
        metadata: { source: 'bench', correlation_id: `corr-${o}` },
        created_at: T0 + o * 60_000 + step * 1000,
      });
    });
  }
  return out;
}

/** A filled order is over: the reducer's define-time hint. */
function reducers(): ReducerRegistry {
  const registry = new ReducerRegistry();
  registry.register({
    aggregateType: 'order',
    version: 1,
    initialState: (id: string) => ({ id, status: 'unknown', filled: 0 }),
    reduce: (state: { id: string; status: string; filled: number }, event: StoredEvent) => ({
      ...state,
      status: event.event_type.replace('ORDER_', '').toLowerCase(),
      filled: Number(event.payload.filled_quantity ?? state.filled),
    }),
    isTerminal: (state) => state.status === 'filled',
  });
  return registry;
}

/** What runArchive reads a live file through: a read-only store, the reducers and a rebuilder over them. */
function archiveReader(live: string, clock: ManualClock): { reader: SqliteEventStore; reducers: ReducerRegistry; rebuilder: Rebuilder } {
  const reader = SqliteEventStore.open({ file: live, readOnly: true });
  const registry = reducers();
  return { reader, reducers: registry, rebuilder: new Rebuilder(reader, reader, registry, undefined, { snapshots: { every: 0 } }, clock) };
}

function write(file: string, events: readonly PreparedEvent[]): void {
  const store = SqliteEventStore.open({ file, durability: 'normal' });
  try {
    for (let i = 0; i < events.length; i += 1000) store.appendBatch(events.slice(i, i + 1000));
  } finally {
    store.close();
  }
}

const WRITER = fileURLToPath(new URL('../workers/archive-writer-worker.ts', import.meta.url));

interface WriterWaits {
  appends: number;
  maxMs: number;
  p99Ms: number;
  over100ms: number;
  over1s: number;
}

/**
 * One archive run (with or without VACUUM) while a bot's writer appends to the same live file
 * from another process: how long its single appends waited, and where the run spent its time.
 */
async function archiveBesideWriter(
  ctx: BenchContext,
  source: string,
  before: number,
  compact: boolean,
): Promise<{ waits: WriterWaits; stages: Record<string, number>; totalMs: number; moved: number }> {
  const live = join(ctx.dir, `writer-live-${compact ? 'vacuum' : 'plain'}.db`);
  const target = join(ctx.dir, `writer-archive-${compact ? 'vacuum' : 'plain'}.db`);
  const stop = join(ctx.dir, `writer-stop-${compact ? 'vacuum' : 'plain'}`);
  copyFileSync(source, live);
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, live, stop], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) resolve();
    });
    child.on('exit', () => reject(new Error(`writer exited early: ${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await ready;
  const deps = archiveReader(live, new ManualClock(T0));
  const stages: Record<string, number> = {};
  const t0 = process.hrtime.bigint();
  const since = (): number => Number(process.hrtime.bigint() - t0) / 1e6;
  let moved: number;
  try {
    const outcome = await runArchive({
      liveFile: live,
      archiveFile: target,
      before,
      ...deps,
      compact,
      now: T0,
      batchId: `writer-${compact ? 'vacuum' : 'plain'}`,
      busyTimeoutMs: 60_000,
      onStage: (stage) => void (stages[stage] = since()),
    });
    moved = outcome.events;
  } finally {
    deps.reader.close();
  }
  const totalMs = since();
  writeFileSync(stop, '');
  await exited;
  const waits = JSON.parse(
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop()!,
  ) as WriterWaits;
  for (const f of [live, target]) for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${f}${suffix}`)) rmSync(`${f}${suffix}`);
  return { waits, stages, totalMs, moved };
}

/**
 * Archiving against appending the same events (same run, trials interleaved), and the Parquet
 * export's speed and size against the SQLite file holding the same events.
 */
export async function retentionSuite(ctx: BenchContext): Promise<Figures> {
  const orders = ctx.quick ? 12_500 : 50_000;
  const trials = 3;
  const ids = new UuidV7Generator();
  const prepared = orderEvents(orders).map((e) => prepareEvent(e, { ids }));
  const total = prepared.length;
  const source = join(ctx.dir, 'retention-source.db');
  ctx.log(`retention: writing ${total.toLocaleString('en-US')} events (${orders.toLocaleString('en-US')} orders)`);
  write(source, prepared);
  // Everything but the last tenth of the orders has ended before the cutoff.
  const before = T0 + Math.floor(orders * 0.9) * 60_000;
  const clock = new ManualClock(T0);

  const archiveMs: number[] = [];
  const appendMs: number[] = [];
  let moved = 0;
  for (let t = 0; t < trials; t++) {
    ctx.log(`retention trial ${t + 1}/${trials}`);
    const live = join(ctx.dir, `live-${t}.db`);
    const target = join(ctx.dir, `archive-${t}.db`);
    copyFileSync(source, live);
    const deps = archiveReader(live, clock);
    archiveMs.push(
      await timeMsAsync(async () => {
        const outcome = await runArchive({
          liveFile: live,
          archiveFile: target,
          before,
          ...deps,
          compact: false,
          now: T0,
          batchId: `bench-${t}`,
        });
        moved = outcome.events;
      }),
    );
    deps.reader.close();
    // The same events appended to a fresh file: what writing them cost in the first place.
    const fresh = join(ctx.dir, `append-${t}.db`);
    const same = prepared.filter((e) => Number(e.aggregate_id.slice(4)) < Math.floor(orders * 0.9));
    if (same.length !== moved) throw new Error(`archive moved ${moved} events, expected ${same.length}`);
    appendMs.push(timeMs(() => write(fresh, same)));
    for (const f of [live, target, fresh]) for (const s of ['', '-wal', '-shm']) rmSync(`${f}${s}`, { force: true });
  }
  const archiveMed = median(archiveMs);
  const appendMed = median(appendMs);

  ctx.log('retention: Parquet export');
  const exportMs: number[] = [];
  let parquetBytes = 0;
  for (let t = 0; t < trials; t++) {
    const out = join(ctx.dir, `export-${t}`);
    const reader = SqliteEventStore.open({ file: source, readOnly: true });
    exportMs.push(
      await timeMsAsync(async () => {
        const result = await exportLog({ reader, format: 'parquet', outDir: out });
        parquetBytes = result.tables.reduce((n, table) => n + table.bytes, 0);
      }),
    );
    reader.close();
    if (t < trials - 1) rmSync(out, { recursive: true, force: true });
  }
  ctx.log('retention: a writer appending beside archive runs (without, then with VACUUM)');
  const plain = await archiveBesideWriter(ctx, source, before, false);
  const vacuum = await archiveBesideWriter(ctx, source, before, true);
  const phases = (r: typeof plain): string =>
    `plan ${Math.round(r.stages.planned ?? 0)} ms, copy (archive only) ${Math.round((r.stages.copied ?? 0) - (r.stages.intent ?? 0))} ms, ` +
    `check and delete (both locks) ${Math.round((r.stages.removed ?? 0) - (r.stages.copied ?? 0))} ms, ` +
    `after it ${Math.round(r.totalMs - (r.stages.done ?? 0))} ms`;
  const sqliteBytes = statSync(source).size;
  const exported = readdirSync(join(ctx.dir, `export-${trials - 1}`)).length;
  return {
    'archive.events_per_s': {
      value: rate(moved, archiveMed),
      unit: 'events/s',
      note: `${moved.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events moved (plan by rebuild, copy, SHA-256 verify both sides, delete); VACUUM not included`,
    },
    'archive.vs_append': {
      value: archiveMed,
      unit: 'ms',
      ratio: archiveMed / appendMed,
      baseline: 'appending the same events to a fresh file (batches of 1,000), same run, interleaved',
      goal: '<= 3',
    },
    'archive.writer_wait_max_ms': {
      value: plain.waits.maxMs,
      unit: 'ms',
      note: `longest single append of a writer in another process during archive --no-vacuum of ${plain.moved.toLocaleString('en-US')} events (${phases(plain)}); p99 ${plain.waits.p99Ms.toFixed(1)} ms over ${plain.waits.appends} appends, ${plain.waits.over100ms} over 100 ms`,
    },
    'archive.vacuum_writer_wait_max_ms': {
      value: vacuum.waits.maxMs,
      unit: 'ms',
      note: `the same with VACUUM (the default): ${phases(vacuum)}; p99 ${vacuum.waits.p99Ms.toFixed(1)} ms over ${vacuum.waits.appends} appends, ${vacuum.waits.over100ms} over 100 ms`,
    },
    'export.parquet_events_per_s': {
      value: rate(total, median(exportMs)),
      unit: 'events/s',
      note: `${exported} tables (one per event type), typed columns, one row group per 10,000 events`,
    },
    'export.parquet_size_ratio': {
      value: parquetBytes / 1024 / 1024,
      unit: 'MB',
      ratio: parquetBytes / sqliteBytes,
      baseline: `the SQLite file holding the same events (${(sqliteBytes / 1024 / 1024).toFixed(1)} MB)`,
      goal: '<= 0.5',
    },
  };
}
