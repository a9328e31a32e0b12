import 'reflect-metadata';
import { copyFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCorruptEvent, type StoredEvent } from '../../src-core/events/types';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { openViewer } from '../../src-desktop/main/open-viewer';
import { RecentFiles } from '../../src-desktop/main/recent-files';
import { ViewerSession } from '../../src-desktop/main/viewer-session';
import { dispatchQuery } from '../../src-desktop/main/query-router';
import { tempDir } from '../support/temp';
import { changedByReader, cli, dirState, expectNoCrash } from './support/cli';
import { badRows, bumpSchemaVersion, insertBadRows, truncateFile, writeNotSqlite, writeTrades, type BadRow } from './support/corrupt-logs';
import { HEAVY } from './support/random';
import { recordResults } from './support/results';
import { sweepViewer } from './support/viewer-sweep';
import { startWorker, type RunningWorker } from './support/worker';

/**
 * Files as they arrive on a trader's workstation after something went wrong: rows a broken
 * writer or a hand edit left, a cut-off copy, the wrong file, a locked file, a file from a
 * newer version. The CLI and the viewer report each and keep serving every good row.
 */
let tmp: ReturnType<typeof tempDir>;
let mixed: string;
let bad: BadRow[];
let goodEvents: StoredEvent[];
const figures = { cliRuns: 0, viewerQueries: 0, badRowsServed: 0, damagedFilesRefusedCleanly: 0 };

beforeAll(async () => {
  tmp = tempDir('catalyst-corrupt-');
  mixed = tmp.file('mixed.db');
  const trades = writeTrades(mixed, 3);
  const reader = SqliteEventStore.open({ file: mixed, readOnly: true });
  goodEvents = (await reader.readPage({}, { limit: 1000 })).records as StoredEvent[];
  reader.close();
  bad = badRows(trades[1]!);
  insertBadRows(mixed, bad);
});
afterAll(() => {
  tmp.cleanup();
  recordResults('corrupt-files', figures);
});

const unparsable = () =>
  bad
    .filter((r) => r.unparsable)
    .map((r) => r.event_id)
    .sort();

describe('a log with bad rows among good ones', () => {
  it('the CLI lists, counts, verifies, shows, replays and traces it without crashing; every good row intact; the file untouched', async () => {
    const before = dirState(mixed);
    const order = bad[0]!.aggregate_id;
    const runs = await Promise.all([
      cli(['events', '--json', '--db', mixed]),
      cli(['events', '--db', mixed, '--limit', '0']),
      cli(['stats', '--json', '--db', mixed]),
      cli(['verify', '--json', '--db', mixed]),
      cli(['show', 'order', order, '--db', mixed]),
      cli(['trace', bad[1]!.event_id, '--db', mixed]),
      ...(HEAVY ? [cli(['replay', 'order', order, '--json', '--db', mixed]), cli(['show', 'risk', 'book', '--json', '--db', mixed])] : []),
    ]);
    figures.cliRuns += runs.length;
    for (const run of runs) expect(expectNoCrash(run)).toBeNull();
    const [events, table, stats, verify, show, trace, ...more] = runs;
    expect(events.code).toBe(0);
    const listed = JSON.parse(events.stdout) as Record<string, unknown>[];
    expect(listed).toHaveLength(goodEvents.length + bad.length);
    // Every good row exactly as written.
    const byId = new Map(listed.map((r) => [r.event_id as string, r]));
    for (const e of goodEvents)
      expect(byId.get(e.event_id)).toMatchObject({ event_type: e.event_type, payload: e.payload, sequence_number: e.sequence_number });
    // Every bad row listed; the unparsable ones flagged.
    expect(
      listed
        .filter((r) => r.corrupt === true)
        .map((r) => r.event_id)
        .sort(),
    ).toEqual(unparsable());
    for (const r of bad) expect(byId.has(r.event_id), r.label).toBe(true);
    figures.badRowsServed += bad.length;

    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${goodEvents.length + bad.length} events, ${unparsable().length} corrupt`);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ total: goodEvents.length + bad.length });

    // verify: problems found (exit 1), each unparsable row and each schema-invalid row named.
    expect(verify.code).toBe(1);
    for (const id of unparsable()) expect(verify.stdout).toContain(id);
    for (const label of ['required keys missing', 'wrong value types', 'created_at is text']) {
      expect(verify.stdout, label).toContain(bad.find((r) => r.label === label)!.event_id);
    }
    for (const run of [show, trace, ...more]) expect(run.code, run.args.join(' ')).toBe(0);
    expect(show.stdout).toContain(`${bad[0]!.event_id}: corrupt payload, skipped`);
    expect(changedByReader(before, dirState(mixed))).toEqual([]);
  });

  it('the viewer answers every query about every row, aggregate and correlation; corrupt rows are listed, good ones intact', async () => {
    const before = dirState(mixed);
    const viewer = await openViewer({ file: mixed, pollMs: 5 });
    try {
      const heard: unknown[] = [];
      const unsubscribe = viewer.service.onDataChanged((c) => heard.push(c));
      // An aggregate type no plugin knows cannot be rebuilt: a typed refusal, not a failure.
      const sweep = await sweepViewer(
        viewer,
        (method, args, code) =>
          method === 'rebuild' && (args as { aggregateType: string }).aggregateType === 'ufo' && code === 'UNKNOWN_TYPE',
      );
      unsubscribe();
      figures.viewerQueries += sweep.queries;
      expect(sweep.failures).toEqual([]);
      const total = goodEvents.length + bad.length;
      expect(sweep.records).toHaveLength(total);
      expect(new Set(sweep.records.map((r) => r.event_id)).size).toBe(total);
      expect(sweep.backward.map((r) => r.event_id)).toEqual(sweep.records.map((r) => r.event_id).reverse());
      const served = new Map(sweep.records.map((r) => [r.event_id, r]));
      for (const e of goodEvents) expect(served.get(e.event_id)).toMatchObject({ payload: e.payload, metadata: e.metadata });
      expect(sweep.corruptIds.sort()).toEqual(unparsable());
      expect(
        sweep.records
          .filter(isCorruptEvent)
          .map((r) => r.event_id)
          .sort(),
      ).toEqual(unparsable());
      expect(sweep.exportedNdjson).toBe(total);
      expect(sweep.exportedCsvRows).toBe(total);
      expect(heard).toEqual([]); // nobody wrote; the watcher polled without a false alarm
    } finally {
      await viewer.close();
    }
    expect(changedByReader(before, dirState(mixed))).toEqual([]);
  });

  /*
   * One rule for "corrupt": what the row mapper flags (JSON.parse fails, or not an object).
   * stats() shortlists with json_valid/json_type and confirms with the mapper, so a JSON array
   * payload is counted and JSON nested past SQLite's limit that reads parse is not.
   */
  it('stats().corrupt equals the number of rows reads flag as corrupt', async () => {
    const store = SqliteEventStore.open({ file: mixed, readOnly: true });
    try {
      const flagged = (await store.readPage({}, { limit: 1000 })).records.filter(isCorruptEvent).length;
      expect((await store.stats()).corrupt).toBe(flagged);
    } finally {
      store.close();
    }
  });
});

describe('files the tools must refuse, clearly and without touching them', () => {
  type Damaged = [label: string, make: (file: string) => void, code: string, says: RegExp];
  const damaged: Damaged[] = [
    ['truncated to 60%', (f) => (writeTrades(f, 40, 'delete'), truncateFile(f, 0.6)), 'STORE_OPEN', /malformed/],
    ...(HEAVY
      ? [['truncated to 95%', (f: string) => (writeTrades(f, 40, 'delete'), truncateFile(f, 0.95)), 'STORE_OPEN', /malformed/] as Damaged]
      : []),
    ['not a SQLite file', (f) => writeNotSqlite(f), 'STORE_OPEN', /not a SQLite database/],
    ['an empty file', (f) => writeFileSync(f, ''), 'STORE_OPEN', /not an event log/],
    [
      "another application's SQLite file",
      (f) => {
        const db = new Database(f);
        db.exec("CREATE TABLE prices (ticker TEXT, price REAL); INSERT INTO prices VALUES ('ACME', 10.5)");
        db.close();
      },
      'STORE_OPEN',
      /not an event log/,
    ],
    [
      'written by a newer catalyst-events',
      (f) => (writeTrades(f, 2), bumpSchemaVersion(f, 99)),
      'SCHEMA_VERSION',
      /schema version 99.*Upgrade/,
    ],
  ];

  it.each(damaged)(
    '%s: the CLI exits 2 with one line, the viewer refuses with a typed error, the file is unchanged',
    async (label, make, code, says) => {
      const file = tmp.file(`${label.replace(/\W+/g, '-')}.db`);
      make(file);
      const before = dirState(file);
      const runs = await Promise.all([cli(['events', '--db', file]), ...(HEAVY ? [cli(['verify', '--db', file])] : [])]);
      figures.cliRuns += runs.length;
      for (const run of runs) {
        expect(expectNoCrash(run)).toBeNull();
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(says);
        expect(run.stderr).toContain(file);
      }
      const error = await openViewer({ file }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as { code?: string }).code).toBe(code);
      expect(String(error)).toMatch(says);
      // Through the Electron session (File > Open): an envelope, never a throw.
      const session = new ViewerSession({
        plugins: [],
        recent: new RecentFiles(tmp.file(`recent-${code}.json`)),
        notify: () => {},
        pickFile: () => Promise.resolve(file),
        pickSavePath: () => Promise.resolve(null),
      });
      const opened = await session.openFile();
      expect(opened).toMatchObject({ ok: false, error: { code } });
      expect(await session.query('stats', {})).toMatchObject({ ok: false, error: { code: 'NO_FILE' } });
      await session.close();
      expect(changedByReader(before, dirState(file))).toEqual([]);
      figures.damagedFilesRefusedCleanly++;
    },
  );
});

describe('a locked file (a rollback-journal writer holding an exclusive lock)', () => {
  it('the CLI gives up after busy_timeout with one line; the open viewer reports SQLITE_BUSY and serves again once the lock is gone', async () => {
    const file = tmp.file('locked.db');
    const config = tmp.file('locked.config.json');
    writeFileSync(config, JSON.stringify({ busyTimeoutMs: 150 }));
    writeTrades(file, 2, 'delete');
    const viewer = await openViewer({ file });
    (viewer.store as SqliteEventStore).connection.pragma('busy_timeout = 150');
    let locker!: RunningWorker;
    await new Promise<void>((resolve) => {
      locker = startWorker('lock-holder.ts', [file, 'exclusive', 'stdin'], (line) => line === 'LOCKED' && resolve());
    });
    try {
      const [events] = await Promise.all([cli(['events', '--db', file, '--config', config])]);
      figures.cliRuns++;
      expect(expectNoCrash(events)).toBeNull();
      expect(events.code).toBe(2);
      expect(events.stderr).toMatch(/locked/);
      const refused = await dispatchQuery(viewer.service, 'eventsPage', { limit: 10 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'SQLITE_BUSY', message: expect.stringMatching(/locked/) as string } });
      // Opening while locked: a typed StoreOpenError once busy_timeout runs out.
      expect(() => SqliteEventStore.open({ file, readOnly: true, busyTimeoutMs: 50 })).toThrow(/locked/);
    } finally {
      locker.child.kill('SIGKILL');
      await locker.exited;
    }
    const served = await dispatchQuery(viewer.service, 'eventsPage', { limit: 100 });
    expect(served.ok && (served.value as { records: unknown[] }).records).toHaveLength(18);
    await viewer.close();
    const after = await cli(['events', '--json', '--db', file]);
    expect(JSON.parse(after.stdout)).toHaveLength(18);
  });
});

describe('a -wal file cut mid-frame (the torn write of a power loss)', () => {
  it('readers serve every transaction before the tear, gap-free, and never crash', async () => {
    // A writer SIGKILLed with its WAL full of committed frames (no checkpoint ran).
    const src = tmp.file('torn-src.db');
    let acks = 0;
    const writer = startWorker('sync-crash-writer.ts', [src, 'normal', 'torn', '7'], (line, w) => {
      if (line.startsWith('ACK ') && ++acks === 150) w.child.kill('SIGKILL');
    });
    await writer.exited;
    const results: number[] = [];
    for (const fraction of [0.25, 0.5, 0.8]) {
      const dir = tempDir('catalyst-torn-');
      try {
        const file = `${dir.dir}/torn.db`;
        copyFileSync(src, file);
        copyFileSync(`${src}-wal`, `${file}-wal`); // no -shm: the reader rebuilds the index
        truncateFile(`${file}-wal`, fraction);
        const events = await cli(['events', '--json', '--db', file]);
        figures.cliRuns++;
        expect(expectNoCrash(events)).toBeNull();
        expect(events.code).toBe(0);
        const rows = JSON.parse(events.stdout) as { aggregate_id: string; sequence_number: number; position: number }[];
        const viewer = await openViewer({ file });
        // The writer's 'account' aggregate has no plugin reducer: rebuild refuses it, typed.
        const sweep = await sweepViewer(viewer, (method, _args, code) => method === 'rebuild' && code === 'UNKNOWN_TYPE');
        await viewer.close();
        expect(sweep.failures).toEqual([]);
        expect(sweep.records).toHaveLength(rows.length);
        // A prefix of the log: positions 1..n, each aggregate's sequence 1..k.
        expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
        const seqs = new Map<string, number[]>();
        for (const r of rows) seqs.set(r.aggregate_id, [...(seqs.get(r.aggregate_id) ?? []), r.sequence_number]);
        for (const list of seqs.values()) expect(list).toEqual(list.map((_, i) => i + 1));
        results.push(rows.length);
      } finally {
        dir.cleanup();
      }
    }
    // A longer WAL keeps at least as much.
    expect([...results].sort((a, b) => a - b)).toEqual(results);
  });
});
