import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-core/config/config';
import { createCatalyst, openCatalystReader } from '../../../src-core/container/create-catalyst';
import { isPluginError, isReadOnlyStoreError, isStoreOpenError } from '../../../src-core/errors';
import { isCorruptEvent, type StoredEvent } from '../../../src-core/events/types';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { RecordingReporter } from '../hooks/fixtures';
import { caught } from '../plugins/fixtures';
import { LedgerBot, ledgerPlugin } from './ledger';

let tmp: ReturnType<typeof tempDir>;
const toClose: { close(): Promise<void> }[] = [];
beforeEach(() => {
  tmp = tempDir('catalyst-entry-');
});
afterEach(async () => {
  for (const c of toClose.splice(0)) await c.close();
  tmp.cleanup();
});

async function readAll(file: string): Promise<StoredEvent[]> {
  const store = SqliteEventStore.open({ file, readOnly: true });
  try {
    const page = await store.readPage({}, { limit: 1000 });
    return page.records.filter((r): r is StoredEvent => !isCorruptEvent(r));
  } finally {
    store.close();
  }
}

describe('createCatalyst', () => {
  it('a bound bot records its hooked calls; a re-entrant chain shares one correlation id', async () => {
    const catalyst = await createCatalyst({ db: tmp.file('bot.db') }, { plugins: [ledgerPlugin] });
    toClose.push(catalyst);
    expect(catalyst.plugins.loaded().map((p) => p.name)).toEqual(['ledger']);
    const bot = catalyst.bind(new LedgerBot('alpha'));
    bot.transfer('cash', 'stock', 50);
    bot.post('cash', 7);
    await catalyst.close();

    const events = await readAll(tmp.file('bot.db'));
    expect(events.map((e) => `${e.event_type}:${e.aggregate_id}:${String(e.payload.amount)}`)).toEqual([
      'LEDGER_TRANSFER_REQUESTED:cash:50',
      'LEDGER_POSTED:cash:-50',
      'LEDGER_POSTED:stock:50',
      'LEDGER_POSTED:cash:7',
    ]);
    const [request, debit, credit, lone] = events as [StoredEvent, StoredEvent, StoredEvent, StoredEvent];
    expect(request.metadata.correlation_id).toEqual(expect.any(String));
    expect(debit.metadata.correlation_id).toBe(request.metadata.correlation_id);
    expect(credit.metadata.correlation_id).toBe(request.metadata.correlation_id);
    expect(debit.metadata.causation_id).toBe(request.event_id);
    expect(credit.metadata.causation_id).toBe(debit.event_id);
    expect(lone.metadata.correlation_id).not.toBe(request.metadata.correlation_id);
  });

  it('an unbound bot (or no plugin) writes nothing and behaves the same', async () => {
    const catalyst = await createCatalyst({ db: tmp.file('quiet.db') }, { plugins: [] });
    toClose.push(catalyst);
    const bot = catalyst.bind(new LedgerBot('quiet'));
    expect(bot.post('cash', 1)).toEqual({ account: 'cash', amount: 1, bot: 'quiet' });
    const withPlugin = await createCatalyst({ db: tmp.file('unbound.db') }, { plugins: [ledgerPlugin] });
    toClose.push(withPlugin);
    new LedgerBot('unbound').transfer('a', 'b', 1);
    await withPlugin.close();
    await catalyst.close();
    expect(await readAll(tmp.file('quiet.db'))).toEqual([]);
    expect(await readAll(tmp.file('unbound.db'))).toEqual([]);
  });

  it('two catalysts in one process: each bot records into its own file only', async () => {
    const a = await createCatalyst({ db: tmp.file('a.db') }, { plugins: [ledgerPlugin] });
    const b = await createCatalyst({ db: tmp.file('b.db') }, { plugins: [ledgerPlugin] });
    toClose.push(a, b);
    const botA = a.bind(new LedgerBot('A'));
    const botB = b.bind(new LedgerBot('B'));
    botA.post('x', 1);
    botB.post('y', 2);
    botA.post('x', 3);
    botB.transfer('y', 'z', 4);
    await a.close();
    await b.close();
    const inA = await readAll(tmp.file('a.db'));
    const inB = await readAll(tmp.file('b.db'));
    expect(inA.map((e) => e.payload.bot)).toEqual(['A', 'A']);
    expect(inB.filter((e) => e.event_type === 'LEDGER_POSTED').map((e) => e.payload.bot)).toEqual(['B', 'B', 'B']);
    expect(inB).toHaveLength(4);
    expect(a.hooks).not.toBe(b.hooks);
  });

  it('buffered mode: close() flushes what is queued', async () => {
    const catalyst = await createCatalyst(
      { db: tmp.file('buffered.db'), emitter: { mode: 'buffered', batchSize: 1000, flushIntervalMs: 60_000, handleSignals: false } },
      { plugins: [ledgerPlugin] },
    );
    const bot = catalyst.bind(new LedgerBot('buf'));
    for (let i = 0; i < 10; i++) bot.post('acct', i);
    expect(catalyst.emitter.metrics().queueDepth).toBe(10);
    await catalyst.close();
    await catalyst.close(); // idempotent
    expect(await readAll(tmp.file('buffered.db'))).toHaveLength(10);
  });

  it('loads config.plugins by path, relative to the config file (loadConfig result accepted)', async () => {
    writeFileSync(
      tmp.file('ledger-plugin.ts'),
      `export { ledgerPlugin as default } from '${new URL('./ledger.ts', import.meta.url).pathname}';\n`,
    );
    writeFileSync(tmp.file('catalyst-events.config.json'), JSON.stringify({ db: './cfg.db', plugins: ['./ledger-plugin.ts'] }));
    const config = loadConfig({ cwd: tmp.dir, env: {} });
    const catalyst = await createCatalyst(config);
    toClose.push(catalyst);
    expect(catalyst.config.db).toBe(tmp.file('cfg.db'));
    expect(catalyst.plugins.loaded()).toEqual([{ name: 'ledger', version: '1.0.0', source: tmp.file('ledger-plugin.ts') }]);
    catalyst.bind(new LedgerBot('cfg')).post('a', 1);
    await catalyst.close();
    expect(await readAll(tmp.file('cfg.db'))).toHaveLength(1);
  });

  it('without a plugin list, loads none: the core names no plugin of its own', async () => {
    const catalyst = await createCatalyst({ db: tmp.file('default.db') });
    toClose.push(catalyst);
    expect(catalyst.plugins.loaded()).toEqual([]);
    expect(catalyst.reducers.has('position')).toBe(false);
  });

  it('a plugin that fails to load fails createCatalyst with the PluginError', async () => {
    const error = await caught(() => createCatalyst({ db: tmp.file('fail.db') }, { plugins: [{ ...ledgerPlugin, coreApi: '^9.0.0' }] }));
    expect(isPluginError(error)).toBe(true);
    expect(error.message).toContain('plugin ledger: needs core API ^9.0.0');
  });

  it('hook handler failures go to the reporter, never to the bot', async () => {
    const reporter = new RecordingReporter();
    const catalyst = await createCatalyst({ db: tmp.file('r.db') }, { plugins: [ledgerPlugin], reporter });
    toClose.push(catalyst);
    const bot = catalyst.bind(new LedgerBot('r'));
    // NaN fails the schema: the emit inside the after-handler throws a ValidationError
    expect(bot.post('cash', Number.NaN)).toEqual({ account: 'cash', amount: Number.NaN, bot: 'r' });
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]!.context.where).toBe('hook ledger.post (after)');
    expect((reporter.reports[0]!.error as Error).message).toContain('payload.amount');
  });
});

describe('openCatalystReader', () => {
  it('reads and rebuilds a log read-only, with plugin reducers; writes are refused', async () => {
    const writer = await createCatalyst({ db: tmp.file('log.db') }, { plugins: [ledgerPlugin] });
    const bot = writer.bind(new LedgerBot('w'));
    bot.post('cash', 100);
    bot.transfer('cash', 'stock', 30);
    await writer.close();

    const reader = await openCatalystReader({ db: tmp.file('log.db') }, { plugins: [ledgerPlugin] });
    toClose.push(reader);
    expect(reader.store.readOnly).toBe(true);
    const rebuilt = await reader.rebuilder.rebuild<{ balance: number; entries: number }>('ledger', 'cash');
    expect(rebuilt.state).toEqual({ balance: 70, entries: 2 });
    expect(reader.schemas.has('LEDGER_POSTED')).toBe(true);
    const emitter = (reader as unknown as { emitter: { emit(e: unknown): unknown } }).emitter;
    let thrown: unknown;
    try {
      emitter.emit({ event_type: 'LEDGER_POSTED', aggregate_type: 'ledger', aggregate_id: 'x', payload: {} });
    } catch (error) {
      thrown = error;
    }
    expect(isReadOnlyStoreError(thrown)).toBe(true);
    await reader.close();
    expect(await readAll(tmp.file('log.db'))).toHaveLength(4);
  });

  it('a missing file is a StoreOpenError, not a new empty log', async () => {
    const error = await caught(() => openCatalystReader({ db: tmp.file('none.db') }, { plugins: [] }));
    expect(isStoreOpenError(error)).toBe(true);
  });
});
