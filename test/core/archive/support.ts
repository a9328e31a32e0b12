import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openCatalystReader, ReadOnlyStoreError, type CatalystReader, type CatalystStore } from '../../../src-core';
import { runArchive, type ArchiveOutcome } from '../../../src-core/archive/run-archive';
import type { SegmentedLog } from '../../../src-core/segments/segmented-log';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { BUILTIN_PLUGINS } from '../../../src-desktop/main/builtin-plugins';

/** A read-only CatalystStore over a segmented log, for a reader container. */
export function storeOf(log: SegmentedLog): CatalystStore {
  const refuse = (operation: string) => (): never => {
    throw new ReadOnlyStoreError(operation);
  };
  return {
    readOnly: true,
    canWriteSnapshots: false,
    readAggregate: (t, i, r) => log.readAggregate(t, i, r),
    readPage: (f, p) => log.readPage(f, p),
    readByCorrelation: (c) => log.readByCorrelation(c),
    getEvent: (e) => log.getEvent(e),
    aggregateVersion: (t, i) => log.aggregateVersion(t, i),
    listAggregates: (o) => log.listAggregates(o),
    stats: () => log.stats(),
    headPosition: () => log.headPosition(),
    loadSnapshot: (t, i) => log.loadSnapshot(t, i),
    saveSnapshot: refuse('saveSnapshot'),
    append: refuse('append'),
    appendBatch: refuse('appendBatch'),
    getCheckpoint: () => null,
    saveCheckpoint: refuse('saveCheckpoint'),
    close: () => undefined,
  };
}

/** The built-in plugins over a log: a file (read-only) or a segmented log. */
export async function readerOver(log: string | SegmentedLog): Promise<CatalystReader & { done(): Promise<void> }> {
  const store = typeof log === 'string' ? SqliteEventStore.open({ file: log, readOnly: true }) : null;
  const reader = await openCatalystReader(
    { db: typeof log === 'string' ? log : ':memory:' },
    { store: store ?? storeOf(log as SegmentedLog), plugins: BUILTIN_PLUGINS },
  );
  return Object.assign(reader, {
    async done() {
      await reader.close();
      store?.close();
    },
  });
}

/** Archive in this process, with the terminal hints: what `catalyst-events archive` does. */
export async function archive(
  liveFile: string,
  archiveFile: string,
  before: number,
  options: { dryRun?: boolean; batchId?: string; onStage?: (stage: string) => void } = {},
): Promise<ArchiveOutcome> {
  const reader = await readerOver(liveFile);
  try {
    return await runArchive({
      liveFile,
      archiveFile,
      before,
      reader: reader.store,
      rebuilder: reader.rebuilder,
      reducers: reader.reducers,
      dryRun: !!options.dryRun,
      now: Date.now(),
      batchId: options.batchId ?? `batch-${before}-${Math.random().toString(36).slice(2)}`,
      ...(options.onStage ? { onStage: options.onStage } : {}),
    });
  } finally {
    await reader.done();
  }
}

export interface RawRow {
  position: number;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: string;
  metadata: string | null;
  created_at: number;
  sequence_number: number;
}

/**
 * Read-write, as the next writer would: a process killed mid-write leaves a WAL that only a
 * writable connection may recover (a read-only one gets SQLITE_READONLY). Nothing is written.
 */
function openAfterCrash(file: string): Database.Database {
  return new Database(file, { fileMustExist: true });
}

/** Every row of a file as stored, with its position, in position order. */
export function rawRows(file: string): RawRow[] {
  const db = openAfterCrash(file);
  try {
    // A segment killed while being created may hold no tables yet: no rows.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'event_position'").get()) return [];
    // Schema 1 links a position to its row by event_id, schema 2 by event_log's rowid.
    const columns = db.prepare("SELECT name FROM pragma_table_info('event_position')").pluck().all() as string[];
    const link = columns.includes('log_rowid') ? 'e.rowid = p.log_rowid' : 'e.event_id = p.event_id';
    return db
      .prepare(
        `SELECT p.position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id, e.payload, e.metadata, e.created_at, e.sequence_number
         FROM event_position p JOIN event_log e ON ${link} ORDER BY p.position`,
      )
      .all() as RawRow[];
  } finally {
    db.close();
  }
}

export function integrityCheck(file: string): string {
  const db = openAfterCrash(file);
  try {
    return (db.pragma('integrity_check') as Record<string, string>[]).map((r) => Object.values(r)[0]).join('; ');
  } finally {
    db.close();
  }
}

export function triggers(file: string): { name: string; sql: string }[] {
  const db = openAfterCrash(file);
  try {
    return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string; sql: string }[];
  } finally {
    db.close();
  }
}

/** Whether a file is an event log yet (a segment killed while being created may not be). */
export function isLog(file: string): boolean {
  const db = openAfterCrash(file);
  try {
    return !!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'event_position'").get();
  } finally {
    db.close();
  }
}

export function copy(from: string, to: string): string {
  copyFileSync(from, to);
  return to;
}

/** What python3's own sqlite3 module finds in a file: its event ids and integrity_check (an independent reader). */
export interface PlainView {
  ids: string[];
  integrity: string;
}

const PLAIN_SQL = `
import json, sqlite3, sys
out = []
for path in sys.argv[1:]:
    db = sqlite3.connect(path)
    has = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'event_log'").fetchone()
    ids = [r[0] for r in db.execute('SELECT event_id FROM event_log')] if has else []
    integrity = '; '.join(r[0] for r in db.execute('PRAGMA integrity_check'))
    db.close()
    out.append({'ids': ids, 'integrity': integrity})
print(json.dumps(out))
`;

/** Each file read with plain SQL by python3's sqlite3 (read-write, as any next opener: a killed writer's WAL is recovered). */
export function plainSql(files: readonly string[]): PlainView[] {
  return JSON.parse(execFileSync('python3', ['-c', PLAIN_SQL, ...files], { encoding: 'utf8' })) as PlainView[];
}

/** One column of a query over a file, by python3's sqlite3, as strings. */
export function plainQuery(file: string, sql: string): string[] {
  const script =
    'import json, sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\nprint(json.dumps([str(r[0]) for r in db.execute(sys.argv[2])]))';
  return JSON.parse(execFileSync('python3', ['-c', script, file, sql], { encoding: 'utf8' })) as string[];
}
