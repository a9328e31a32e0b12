import 'reflect-metadata';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../../src-core/container/tokens';
import { openCatalystReader } from '../../src-core/container/create-catalyst';
import type { Emitter } from '../../src-core/emitter/types';
import { isReadOnlyStoreError } from '../../src-core/errors';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { openViewer } from '../../src-desktop/main/open-viewer';
import { prepared, preparedAll } from '../support/prepared-event';
import { tempDir } from '../support/temp';
import { changedByReader, cli, dirState, EMPTY_SHA256, expectNoCrash } from './support/cli';
import { writeTrades } from './support/corrupt-logs';
import { HEAVY } from './support/random';
import { recordResults } from './support/results';
import { sweepViewer } from './support/viewer-sweep';
import { startWorker, type RunningWorker } from './support/worker';

/**
 * The CLI and the viewer open a log read-only. Whatever they are asked, the log's bytes
 * stay as they were: in rollback-journal (DELETE) mode and in WAL mode, with the bot's
 * connection closed and with it open and its last commits still in the -wal.
 */
let tmp: ReturnType<typeof tempDir>;
const figures = { layouts: 0, cliRuns: 0, viewerQueries: 0, refusedWrites: 0 };
beforeAll(() => {
  tmp = tempDir('catalyst-readonly-');
});
afterAll(() => {
  tmp.cleanup();
  recordResults('read-only', figures);
});

async function readEverything(file: string): Promise<void> {
  const runs = await Promise.all([
    cli(['verify', '--db', file]),
    cli(['replay', 'position', 'position-1', '--json', '--db', file]),
    cli(['trace', 'signal-1', '--db', file]),
    ...(HEAVY ? [cli(['stats', '--db', file]), cli(['show', 'order', 'order-0', '--db', file]), cli(['events', '--db', file])] : []),
  ]);
  figures.cliRuns += runs.length;
  for (const run of runs) {
    expect(expectNoCrash(run)).toBeNull();
    expect(run.code, `${run.args.join(' ')}: ${run.stderr}`).toBe(0);
  }
  const viewer = await openViewer({ file, pollMs: 5 });
  try {
    const off = viewer.service.onDataChanged(() => {});
    const sweep = await sweepViewer(viewer);
    await new Promise((resolve) => setTimeout(resolve, 30)); // a few watcher polls
    off();
    figures.viewerQueries += sweep.queries;
    expect(sweep.failures).toEqual([]);
    expect(sweep.records.length).toBeGreaterThan(0);
  } finally {
    await viewer.close();
  }
}

// The WAL layout with the bot's connection open is below; this one (closed) runs in CI.
describe.each(HEAVY ? (['delete', 'wal'] as const) : (['delete'] as const))('reading a %s-mode log', (journal) => {
  it('leaves every file in its folder byte-identical (no journal, no new side file with data)', async () => {
    const dir = tempDir(`catalyst-ro-${journal}-`);
    try {
      const file = `${dir.dir}/events.db`;
      writeTrades(file, 3, journal);
      const before = dirState(file);
      await readEverything(file);
      const after = dirState(file);
      if (journal === 'delete')
        expect(after).toEqual(before); // not even a -journal
      else expect(changedByReader(before, after)).toEqual([]);
      figures.layouts++;
    } finally {
      dir.cleanup();
    }
  });
});

describe('reading a WAL log while the bot holds it open with commits in the -wal', () => {
  it('leaves the database and its -wal byte-identical, and sees the un-checkpointed events', async () => {
    const dir = tempDir('catalyst-ro-live-');
    let bot: RunningWorker | null = null;
    try {
      const file = `${dir.dir}/events.db`;
      writeTrades(file, 3, 'wal');
      await new Promise<void>((resolve) => {
        bot = startWorker('idle-writer.ts', [file, '40'], (line) => line === 'READY' && resolve());
      });
      const before = dirState(file);
      expect(before.files['events.db-wal']).not.toBe(EMPTY_SHA256);
      const events = await cli(['events', '--json', '--db', file]);
      expect(JSON.parse(events.stdout)).toHaveLength(27 + 40);
      await readEverything(file);
      expect(changedByReader(before, dirState(file))).toEqual([]);
      figures.layouts++;
    } finally {
      (bot as RunningWorker | null)?.child.kill('SIGKILL');
      await (bot as RunningWorker | null)?.exited;
      dir.cleanup();
    }
  });
});

describe('writes through a read-only handle', () => {
  it('are refused at every layer: store, raw connection, reader container, viewer container', async () => {
    const file = tmp.file('refuse.db');
    writeTrades(file, 1, 'wal');
    const before = dirState(file);
    const refusals: unknown[] = [];
    const attempt = (write: () => unknown) => {
      try {
        write();
        refusals.push(null);
      } catch (error) {
        refusals.push(error);
      }
    };
    const store = SqliteEventStore.open({ file, readOnly: true });
    attempt(() => store.append(prepared({ event_type: 'X', aggregate_type: 'order', aggregate_id: 'o', payload: {} })));
    attempt(() => store.appendBatch(preparedAll([{ event_type: 'X', aggregate_type: 'order', aggregate_id: 'o', payload: {} }])));
    attempt(() =>
      store.saveSnapshot({
        aggregate_type: 'order',
        aggregate_id: 'order-0',
        state: {},
        reducer_version: 1,
        last_event_id: 'e',
        last_sequence_number: 1,
      }),
    );
    attempt(() => store.saveCheckpoint('projection', 1));
    expect(refusals.map(isReadOnlyStoreError)).toEqual([true, true, true, true]);
    // Below the store: SQLite itself refuses (readonly open plus query_only).
    for (const sql of [
      "INSERT INTO event_log VALUES ('x', 'X', 'order', 'o', '{}', NULL, 0, 99)",
      "UPDATE catalyst_meta SET value = '2' WHERE key = 'schema_version'",
      'CREATE TABLE sneaky (x)',
      'PRAGMA user_version = 7',
    ]) {
      let error: unknown;
      try {
        store.connection.exec(sql);
      } catch (caught) {
        error = caught;
      }
      expect((error as { code?: string }).code, sql).toMatch(/^SQLITE_READONLY/);
    }
    store.close();

    const reader = await openCatalystReader({ db: file, plugins: [] }, { plugins: [] });
    const emitter = reader.container.resolve<Emitter>(TOKENS.Emitter);
    refusals.length = 0;
    attempt(() => emitter.emit({ event_type: 'X', aggregate_type: 'order', aggregate_id: 'o', payload: {} }));
    attempt(() => reader.store.append(prepared({ event_type: 'X', aggregate_type: 'order', aggregate_id: 'o', payload: {} })));
    await reader.close();
    const viewer = await openViewer({ file });
    attempt(() =>
      viewer.container
        .resolve<Emitter>(TOKENS.Emitter)
        .emitBatch([{ event_type: 'X', aggregate_type: 'order', aggregate_id: 'o', payload: {} }]),
    );
    attempt(() => viewer.store!.append(prepared({ event_type: 'X', aggregate_type: 'order', aggregate_id: 'o', payload: {} })));
    await viewer.close();
    expect(refusals.map(isReadOnlyStoreError)).toEqual([true, true, true, true]);
    figures.refusedWrites += 12;

    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(9);
    check.close();
    expect(dirState(file).files['refuse.db']).toBe(before.files['refuse.db']);
  });
});
