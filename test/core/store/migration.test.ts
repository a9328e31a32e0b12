import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';
import { runSeedPython } from '../../support/seed-python';
import { tempDir } from '../../support/temp';
import { eventIdAt, T0, writeV1File } from './fixtures/v1-file';

const WORKER = 'test/core/store/fixtures/migrate-worker.ts';
const HEAVY = process.env.CATALYST_HEAVY_TESTS === '1';

/** Position → event id over the whole file, as a digest, through whichever layout it has. */
function positionsDigest(file: string): { count: number; digest: string; version: string | undefined } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const columns = db.prepare("SELECT name FROM pragma_table_info('event_position')").pluck().all() as string[];
    const on = columns.includes('log_rowid') ? 'e.rowid = p.log_rowid' : 'e.event_id = p.event_id';
    const hash = createHash('sha256');
    let count = 0;
    for (const [position, id] of db
      .prepare(`SELECT p.position, e.event_id FROM event_position p JOIN event_log e ON ${on} ORDER BY p.position`)
      .raw()
      .iterate() as IterableIterator<[number, string]>) {
      hash.update(`${position}:${id}\n`);
      count++;
    }
    const version = db.prepare("SELECT value FROM catalyst_meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
    return { count, digest: hash.digest('hex'), version };
  } finally {
    db.close();
  }
}

function indexesOf(file: string): { name: string; sql: string | null; table: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT name, sql, tbl_name AS 'table' FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as never;
  } finally {
    db.close();
  }
}

/** Runs the migrating worker; with `hold`, SIGKILLs it inside the migration transaction; else after `killAfterMs`. */
function migrateAndKill(file: string, how: { hold: true } | { killAfterMs: number }): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    // `node --import tsx`, not the tsx CLI (whose grandchild a SIGKILL would not reach).
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, 'hold' in how ? 'hold' : 'run'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if ('hold' in how && out.includes('MIGRATING')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d) => (err += d));
    if ('killAfterMs' in how) setTimeout(() => child.kill('SIGKILL'), how.killAfterMs);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`worker exit ${code}: ${err}`));
    });
  });
}

describe('schema 1 → 3 migration in place', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('catalyst-migrate-');
  });
  afterEach(() => tmp.cleanup());

  it('keeps every position, drops the event-id index, makes the correlation index partial, and is idempotent', async () => {
    const file = tmp.file('v1.db');
    writeV1File(file, 3000, 40);
    const raw = new Database(file);
    raw.prepare("INSERT INTO subscription_checkpoints VALUES ('projector', 1234, 1)").run();
    raw.close();
    const before = positionsDigest(file);
    expect(before).toMatchObject({ count: 3000, version: '1' });

    // A reader opens the version-1 file as it is, without migrating it.
    const reader = SqliteEventStore.open({ file, readOnly: true });
    expect(reader.schemaFeatures.positionLink).toBe('event_id');
    const v1Page = reader.readPageSync({ correlationId: 'corr-7' }, { limit: 100 }).records.map((r) => [r.position, r.event_id]);
    expect(v1Page).toHaveLength(45); // every tenth event carries no correlation id
    reader.close();
    expect(positionsDigest(file).version).toBe('1');

    const store = SqliteEventStore.open({ file });
    expect(store.schemaFeatures).toMatchObject({ schemaVersion: 3, positionLink: 'log_rowid' });
    store.close();
    expect(positionsDigest(file)).toEqual({ ...before, version: '3' });
    const indexes = indexesOf(file);
    // The seed's (aggregate_type, aggregate_id) index went: its unique index has the same prefix.
    expect(indexes.map((i) => i.name)).not.toContain('idx_event_log_aggregate');
    // event_position: the integer PRIMARY KEY and one integer index; no index names event_id.
    expect(indexes.filter((i) => i.table === 'event_position').map((i) => i.name)).toEqual(['idx_event_position_log_rowid']);
    expect(indexes.find((i) => i.name === 'idx_event_log_correlation')!.sql).toMatch(/WHERE .*IS NOT NULL/);

    const again = SqliteEventStore.open({ file, readOnly: true });
    expect(again.readPageSync({ correlationId: 'corr-7' }, { limit: 100 }).records.map((r) => [r.position, r.event_id])).toEqual(v1Page);
    expect(again.getCheckpoint('projector')).toBe(1234);
    expect(again.readAggregateSync('order', 'ord-3').map((r) => r.sequence_number)).toEqual([...Array(75).keys()].map((i) => i + 1));
    again.close();

    // Idempotent: a second writer open finds the file current and needs no write lock.
    const holder = new Database(file);
    holder.prepare('BEGIN IMMEDIATE').run();
    try {
      const second = SqliteEventStore.open({ file, busyTimeoutMs: 0 });
      expect(second.schemaFeatures.schemaVersion).toBe(3);
      second.close();
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
    const writer = SqliteEventStore.open({ file });
    const next = writer.append(
      prepared({ event_type: 'ORDER_PARTIALLY_FILLED', aggregate_type: 'order', aggregate_id: 'ord-3', payload: { i: -1 } }),
    );
    expect([next.position, next.sequence_number]).toEqual([3001, 76]);
    writer.close();
    // The seed's Python still writes the migrated file, and its row gets the next position.
    runSeedPython(
      `conn = sqlite3.connect(ARGS["file"])
append(conn, {"event_type": "ORDER_PARTIALLY_FILLED", "aggregate_type": "order", "aggregate_id": "ord-3",
              "payload": {"i": -2}, "created_at": ARGS["t0"]})
conn.close()`,
      { file, t0: T0 },
    );
    const last = SqliteEventStore.open({ file, readOnly: true });
    expect(
      last
        .readAggregateSync('order', 'ord-3')
        .slice(-2)
        .map((r) => [r.position, r.sequence_number]),
    ).toEqual([
      [3001, 76],
      [3002, 77],
    ]);
    await expect(last.getEvent(eventIdAt(42))).resolves.toMatchObject({ position: 43, aggregate_id: 'ord-2' });
    last.close();
  });

  async function killedMidMigration(count: number): Promise<void> {
    const file = tmp.file('big-v1.db');
    writeV1File(file, count);
    const before = positionsDigest(file);

    // Killed inside the migration's transaction, after all its work, before COMMIT.
    const held = await migrateAndKill(file, { hold: true });
    expect(held).toMatchObject({ killed: true });
    expect(held.out).toContain('MIGRATING');
    expect(positionsDigest(file)).toEqual(before); // still version 1, every position as it was

    // Killed at an arbitrary moment (it may or may not have committed: either is whole).
    const timed = await migrateAndKill(file, { killAfterMs: 300 });
    const afterTimed = positionsDigest(file);
    expect(afterTimed.digest).toBe(before.digest);
    expect(['1', '3']).toContain(afterTimed.version);
    expect(timed.killed || afterTimed.version === '3').toBe(true);

    // Reopened for writing: the migration runs to the end.
    const store = SqliteEventStore.open({ file });
    expect(store.schemaFeatures).toMatchObject({ schemaVersion: 3, positionLink: 'log_rowid' });
    expect(await store.integrityCheck()).toMatchObject({ ok: true, lines: ['ok'] });
    const appended = store.append(prepared({ event_type: 'X', aggregate_type: 'order', aggregate_id: 'ord-1', payload: {} }));
    expect(appended.position).toBe(count + 1);
    store.close();
    expect(positionsDigest(file).digest).not.toBe(before.digest); // one more row
    const reread = SqliteEventStore.open({ file, readOnly: true });
    expect(reread.readRawBatchSync(count - 1, 5).map((r) => r.event_id)).toEqual([eventIdAt(count - 1), appended.event_id]);
    reread.close();
  }

  it('a SIGKILL in the middle of migrating 200k events leaves the file as it was; reopening migrates it', async () => {
    await killedMidMigration(200_000);
  }, 180_000);

  it.skipIf(!HEAVY)(
    'the same on 1M events (CATALYST_HEAVY_TESTS=1)',
    async () => {
      await killedMidMigration(1_000_000);
    },
    900_000,
  );
});
