/**
 * Forward throughput: events/s shipped from a SQLite log to PostgreSQL, against the local
 * append rate (the bot's own write path, one durable append per event) measured in the same
 * run. A ratio >= 1 means a following forwarder keeps up with a bot writing flat out.
 *
 *   npx tsx bench/forward.ts [--quick]   -> {"figures": {"forward.events_per_s": ..., "forward.vs_local_append": ...}}
 *
 * Needs the PostgreSQL 15 binaries (a throwaway cluster, fsync on); without them it prints no figures.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareEvent } from '../src-core';
import { runForward } from '../src-core/forward/forwarder';
import { SqliteEventStore } from '../src-core/store/sqlite/sqlite-event-store';
import { postgresAvailability, startPostgres } from '../test/support/postgres';
import { rate, timeMs, timeMsAsync, type BenchContext, type Figures } from './lib/figures';

function event(i: number) {
  return {
    event_type: i % 3 === 0 ? 'ORDER_FILLED' : 'ORDER_SUBMITTED',
    aggregate_type: 'order',
    aggregate_id: `o-${i % 500}`,
    payload: { symbol: 'BTC-USD', side: i % 2 ? 'buy' : 'sell', quantity: 0.01 * (i % 7), price: 60_000 + (i % 100) },
    metadata: { source: 'bench', correlation_id: `c-${i % 1000}` },
  };
}

export async function measureForward(ctx: BenchContext): Promise<Figures> {
  let available = false;
  try {
    available = postgresAvailability().available;
  } catch (error) {
    ctx.log(`forward: ${(error as Error).message}`);
  }
  if (!available) {
    ctx.log('forward: PostgreSQL binaries missing, no figures');
    return {};
  }
  const count = ctx.quick ? 5_000 : 50_000;
  const file = join(ctx.dir, 'forward-source.db');
  const store = SqliteEventStore.open({ file });
  const appendMs = timeMs(() => {
    // Prepared inside the timed loop: the id, time and metadata the store used to complete
    // itself are part of a bot's append (the emitter prepares, the store writes).
    for (let i = 0; i < count; i++) store.append(prepareEvent(event(i)));
  });
  store.close();
  const localRate = rate(count, appendMs);
  ctx.log(`forward: local append ${Math.round(localRate)} ev/s; starting a PostgreSQL cluster`);

  const cluster = await startPostgres({ durable: true });
  try {
    const url = await cluster.createDatabase('bench_forward');
    let forwarded = 0;
    const forwardMs = await timeMsAsync(async () => {
      forwarded = (await runForward({ db: file, to: url, batchSize: 1000, progress: null, log: ctx.log })).forwarded;
    });
    if (forwarded !== count) throw new Error(`forwarded ${forwarded} of ${count} events`);
    const forwardRate = rate(count, forwardMs);
    return {
      'forward.events_per_s': {
        value: forwardRate,
        unit: 'events/s',
        note: `${count} events, batches of 1000, one transaction per batch with its checkpoint, fsync on`,
      },
      'forward.vs_local_append': {
        value: forwardRate / localRate,
        unit: 'x',
        ratio: forwardRate / localRate,
        baseline: 'local durable append, one event at a time, same run',
        goal: '>= 1',
      },
    };
  } finally {
    cluster.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-forward-'));
  try {
    const figures = await measureForward({
      quick: process.argv.includes('--quick'),
      dir,
      log: (m) => process.stderr.write(`bench: ${m}\n`),
    });
    process.stdout.write(JSON.stringify({ figures }, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
