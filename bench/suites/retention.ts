import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock, prepareEvent, UuidV7Generator } from '../../src-core';
import { runArchive } from '../../src-core/archive/run-archive';
import { exportLog } from '../../src-core/export/export-log';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { median, rate, runWorker, timeMsAsync, type BenchContext, type Figures } from '../lib/figures';
import { T0 } from '../lib/fixtures';
import { archiveReader, orderEvents, write } from '../lib/retention-runs';

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

  // Archive and append pairs, interleaved, in a process of their own: the CLI runs `archive`
  // as one, and at the end of a full bench run this process carries every suite before it
  // (3.3x there, 2.9-3.0x in a process that ran only this suite).
  ctx.log(`retention: ${trials} archive/append trial pairs in their own process`);
  const { archiveMs, appendMs, moved } = runWorker<{ archiveMs: number[]; appendMs: number[]; moved: number }>(
    'archive-vs-append-worker.ts',
    [ctx.dir, source, orders, trials],
  );
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
      baseline: 'appending the same events to a fresh file (batches of 1,000), same run, interleaved, in a process of their own',
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
