import 'reflect-metadata';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ErrorReporter } from '../../src-core/errors/reporter';
import { createCatalyst, type Catalyst } from '../../src-core/container/create-catalyst';
import { isQueueFullError, isStoreWriteError, isValidationError } from '../../src-core/errors';
import type { NewEvent } from '../../src-core/events/types';
import type { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../support/prepared-event';
import { tempDir } from '../support/temp';
import { inspectFile, inspectLog, missingFrom } from './support/log-checks';
import { recordResults } from './support/results';
import orderPlugin, { OrderHooks } from '../../src-plugins/order';
import { tickPlugin } from './fixtures/tick-plugin';

interface Report {
  error: unknown;
  where: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const figures = { listenerFailuresContained: 0, fullDiskRefusals: 0, queuedThroughFullDisk: 0 };
afterAll(() => recordResults('listeners-and-disk', figures));

async function bot(
  emitter: Record<string, unknown> = {},
): Promise<{ catalyst: Catalyst; store: SqliteEventStore; file: string; reports: Report[] }> {
  const tmp = tempDir('catalyst-rel-');
  const file = tmp.file('events.db');
  const reports: Report[] = [];
  const reporter: ErrorReporter = { report: (error, context) => reports.push({ error, where: context.where }) };
  const catalyst = await createCatalyst({ db: file, emitter: { handleSignals: false, ...emitter } }, { plugins: [tickPlugin], reporter });
  cleanups.push(() => tmp.cleanup());
  cleanups.push(async () => {
    try {
      await catalyst.close();
    } catch {
      // a test that left the disk full on purpose
    }
  });
  return { catalyst, store: catalyst.store as unknown as SqliteEventStore, file, reports };
}

let serial = 0;
function tick(aggregate = 'm-1', padBytes = 0): NewEvent {
  const batch = `b${serial++}`;
  return {
    event_type: 'TICK',
    aggregate_type: 'meter',
    aggregate_id: aggregate,
    payload: { batch, batch_size: 1, i: 0, pad: 'p'.repeat(padBytes) },
  };
}

function group(size: number, padBytes: number): NewEvent[] {
  const batch = `b${serial++}`;
  return Array.from({ length: size }, (_, i) => ({
    event_type: 'TICK',
    aggregate_type: 'meter',
    aggregate_id: `m-${i % 3}`,
    payload: { batch, batch_size: size, i, pad: 'p'.repeat(padBytes) },
  }));
}

const rows = (store: SqliteEventStore) => store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck().get() as number;

describe.each(['sync', 'buffered'] as const)('listeners never stop the bot (%s)', (mode) => {
  it('a throwing, a rejecting and a never-settling listener: every emit still lands, failures are reported, later listeners still run', async () => {
    const { catalyst, store, reports } = await bot({ mode, batchSize: 3, flushIntervalMs: 5 });
    const seen: string[] = [];
    catalyst.emitter.on('TICK', () => {
      throw new Error('listener bug');
    });
    catalyst.emitter.on('TICK', () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'not even an Error';
    });
    catalyst.emitter.onAll(() => Promise.reject(new Error('async listener bug')));
    catalyst.emitter.onAll(() => new Promise<void>(() => {})); // hangs forever
    catalyst.emitter.onAll(() => {
      // A listener that emits something invalid: its ValidationError is its own problem.
      catalyst.emitter.emit({ event_type: 'TICK', aggregate_type: 'meter', aggregate_id: 'x', payload: { batch: '' } });
    });
    catalyst.emitter.onAll((event) => void seen.push(event.event_id));

    const receipts = [];
    for (let n = 0; n < 10; n++) receipts.push(catalyst.emitter.emit(tick(`m-${n % 2}`)));
    catalyst.emitter.flush();
    await new Promise((resolve) => setTimeout(resolve, 20)); // let rejected promises report
    expect(seen).toEqual(receipts.map((r) => r.event_id));
    expect(rows(store)).toBe(10);
    // 10 events x 5 failing listeners (the hanging one never fails, it just never settles).
    const listenerReports = reports.filter((r) => r.where === 'emitter.listener');
    expect(listenerReports).toHaveLength(40);
    expect(listenerReports.some((r) => isValidationError(r.error))).toBe(true);
    expect(catalyst.emitter.metrics().listenerErrors).toBe(40);
    figures.listenerFailuresContained += listenerReports.length;
  });

  it('a reporter that throws too does not reach the bot', async () => {
    const tmp = tempDir('catalyst-rel-');
    cleanups.push(() => tmp.cleanup());
    const reporter: ErrorReporter = {
      report() {
        throw new Error('reporter down');
      },
    };
    const catalyst = await createCatalyst(
      { db: tmp.file('e.db'), emitter: { mode, handleSignals: false } },
      { plugins: [tickPlugin], reporter },
    );
    cleanups.push(() => catalyst.close());
    catalyst.emitter.onAll(() => {
      throw new Error('listener bug');
    });
    expect(() => {
      catalyst.emitter.emit(tick());
      catalyst.emitter.flush();
    }).not.toThrow();
    expect(rows(catalyst.store as unknown as SqliteEventStore)).toBe(1);
  });
});

/** Caps the file a few pages above its current size, the way a full disk would. */
function fillDiskAt(store: SqliteEventStore, headroomPages: number): void {
  const pages = store.connection.pragma('page_count', { simple: true }) as number;
  store.connection.pragma(`max_page_count = ${pages + headroomPages}`);
}

describe('a full disk', () => {
  it('sync: emit fails with StoreWriteError(SQLITE_FULL), no batch is torn, the bot keeps running and writes again once space frees', async () => {
    const { catalyst, store, file } = await bot({ mode: 'sync' });
    const written = [catalyst.emitter.emit(tick()).event_id];
    fillDiskAt(store, 4);
    const refused: unknown[] = [];
    // Batches of 6 x 3 KiB: each needs more than one page, so one of them fails part way.
    for (let n = 0; n < 20 && refused.length < 3; n++) {
      const before = rows(store);
      try {
        written.push(...catalyst.emitter.emitBatch(group(6, 3000)).map((r) => r.event_id));
      } catch (error) {
        refused.push(error);
        expect(rows(store)).toBe(before); // nothing of the refused batch
      }
    }
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(isStoreWriteError(error)).toBe(true);
      expect((error as { sqliteCode?: string }).sqliteCode).toBe('SQLITE_FULL');
      expect((error as Error).message).toMatch(/full/);
    }
    figures.fullDiskRefusals += refused.length;
    // Still full: a small event may or may not fit, but it never tears or crashes.
    store.connection.pragma('max_page_count = 1073741823');
    const again = group(6, 3000);
    written.push(...catalyst.emitter.emitBatch(again).map((r) => r.event_id));
    await catalyst.close();
    const report = inspectFile(file);
    expect(missingFrom(report, written)).toEqual([]);
    expect(report.total).toBe(written.length);
    expect(report.tornBatches).toEqual([]);
    expect(report.gapped).toEqual([]);
    expect(report.integrity).toBe('ok');
  });

  it('buffered: a flush that hits a full disk keeps every event queued and reports; after space frees the queue lands whole', async () => {
    const { catalyst, store, file, reports } = await bot({
      mode: 'buffered',
      batchSize: 10_000,
      flushIntervalMs: 60_000,
      queueCapacity: 10_000,
    });
    catalyst.emitter.emit(tick());
    catalyst.emitter.flush();
    fillDiskAt(store, 3);
    const queued: string[] = [];
    for (let n = 0; n < 30; n++) queued.push(...catalyst.emitter.emitBatch(group(3, 2000)).map((r) => r.event_id));
    const before = rows(store);
    let flushError: unknown;
    try {
      catalyst.emitter.flush();
    } catch (error) {
      flushError = error;
    }
    expect(isStoreWriteError(flushError)).toBe(true);
    expect(rows(store)).toBe(before); // the failed flush wrote nothing
    expect(catalyst.emitter.metrics().queueDepth).toBe(queued.length);
    // The bot keeps emitting while the disk is full.
    queued.push(catalyst.emitter.emit(tick()).event_id);
    expect(catalyst.emitter.metrics().queueDepth).toBe(queued.length);

    store.connection.pragma('max_page_count = 1073741823');
    catalyst.emitter.flush();
    expect(catalyst.emitter.metrics().queueDepth).toBe(0);
    expect(catalyst.emitter.metrics().flushFailures).toBeGreaterThan(0);
    figures.queuedThroughFullDisk += queued.length;
    await catalyst.close();
    const report = inspectFile(file);
    expect(missingFrom(report, queued)).toEqual([]);
    expect(report.tornBatches).toEqual([]);
    expect(report.gapped).toEqual([]);
    expect(report.integrity).toBe('ok');
    expect(reports.filter((r) => r.where !== 'emitter.flush')).toEqual([]);
  });

  it('buffered: a full queue on a full disk refuses with QueueFullError instead of dropping; size flushes that fail are reported, not thrown', async () => {
    const { catalyst, store, file, reports } = await bot({ mode: 'buffered', batchSize: 5, flushIntervalMs: 60_000, queueCapacity: 20 });
    catalyst.emitter.emit(tick());
    catalyst.emitter.flush();
    fillDiskAt(store, 1);
    const accepted: string[] = [];
    let refusal: unknown;
    for (let n = 0; n < 40 && refusal === undefined; n++) {
      try {
        accepted.push(...catalyst.emitter.emitBatch(group(2, 3000)).map((r) => r.event_id));
      } catch (error) {
        refusal = error;
      }
    }
    expect(isQueueFullError(refusal)).toBe(true);
    expect(reports.some((r) => r.where === 'emitter.flush' && isStoreWriteError(r.error))).toBe(true);
    store.connection.pragma('max_page_count = 1073741823');
    await catalyst.close(); // flushes the queue
    const report = inspectFile(file);
    expect(missingFrom(report, accepted)).toEqual([]);
    expect(report.tornBatches).toEqual([]);
  });
});

/** Caps the file at its size, then fills what free space is left: no new row fits anywhere. */
function fillDisk(store: SqliteEventStore): void {
  store.connection.pragma(`max_page_count = ${store.connection.pragma('page_count', { simple: true }) as number}`);
  for (const size of [3000, 300, 30, 0]) {
    try {
      for (let n = 0; n < 1000; n++)
        store.append(
          prepared({ event_type: 'FILLER', aggregate_type: 'filler', aggregate_id: `f-${size}-${n}`, payload: { pad: 'f'.repeat(size) } }),
        );
    } catch (error) {
      if (!isStoreWriteError(error)) throw error;
    }
  }
}

/** A bot's order executor, decorated the way the order plugin documents. */
class Executor {
  submitted = 0;

  @OrderHooks.submit()
  submit(order: { order_id: string; ticker: string; side: 'buy'; quantity: number; order_type: 'market' }): {
    status: 'accepted';
    order_id: string;
  } {
    this.submitted++;
    return { status: 'accepted', order_id: order.order_id };
  }
}

describe('a decorated bot on a full disk', () => {
  it('keeps trading: its methods return as usual, each refused write is reported as StoreWriteError; once space frees, calls are recorded again', async () => {
    const tmp = tempDir('catalyst-rel-');
    cleanups.push(() => tmp.cleanup());
    const reports: Report[] = [];
    const catalyst = await createCatalyst(
      { db: tmp.file('events.db'), emitter: { mode: 'sync', handleSignals: false } },
      { plugins: [orderPlugin], reporter: { report: (error, context) => void reports.push({ error, where: context.where }) } },
    );
    cleanups.push(() => catalyst.close());
    const store = catalyst.store as unknown as SqliteEventStore;
    const bot = catalyst.bind(new Executor());
    const order = (n: number) => ({
      order_id: `ord-${n}`,
      ticker: 'ACME',
      side: 'buy' as const,
      quantity: 100,
      order_type: 'market' as const,
    });
    expect(bot.submit(order(0))).toEqual({ status: 'accepted', order_id: 'ord-0' });
    const recorded = rows(store);
    expect(recorded).toBeGreaterThan(0);
    fillDisk(store);
    for (let n = 1; n <= 5; n++) expect(bot.submit(order(n))).toEqual({ status: 'accepted', order_id: `ord-${n}` });
    expect(bot.submitted).toBe(6);
    const refused = reports.filter((r) => isStoreWriteError(r.error));
    expect(refused.length).toBeGreaterThanOrEqual(5); // at least one refused event per call
    expect(refused.every((r) => (r.error as { sqliteCode?: string }).sqliteCode === 'SQLITE_FULL')).toBe(true);
    figures.fullDiskRefusals += refused.length;
    store.connection.pragma('max_page_count = 1073741823');
    expect(bot.submit(order(6))).toEqual({ status: 'accepted', order_id: 'ord-6' });
    const after = await catalyst.store.readAggregate('order', 'ord-6');
    expect(after.map((e) => e.event_type)).toEqual(['ORDER_SUBMITTED', 'ORDER_ACCEPTED']);
    expect(inspectLog(store).gapped).toEqual([]);
  });
});
