/**
 * Schema 3 leaves out the seed's (aggregate_type, aggregate_id) index: it is a prefix of the
 * seed's own UNIQUE(aggregate_type, aggregate_id, sequence_number) index, so it only cost
 * appends a second B-tree keyed by the aggregate. A file of ours never gets it; a seed file and
 * a version-2 file lose it once when opened for writing; the seed's Python still writes and
 * reads the file, uses the unique index for its own lookups, and if its migration creates the
 * index again, we leave it (no drop/create ping-pong between two bots on one file).
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';
import { runSeedPython } from '../../support/seed-python';
import { tempDir } from '../../support/temp';

const PREFIX = 'idx_event_log_aggregate';

function hasIndex(file: string, name = PREFIX): boolean {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(name) === 1;
  } finally {
    db.close();
  }
}

function version(file: string): string | undefined {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT value FROM catalyst_meta WHERE key = 'schema_version'").pluck().get() as string | undefined;
  } finally {
    db.close();
  }
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('prefix-index-');
});
afterEach(() => tmp.cleanup());

describe("the seed's prefix index", () => {
  it('a seed-written file loses it once; the seed recreating it is left alone; both sides still read and write', () => {
    const file = tmp.file('seed.db');
    runSeedPython(
      `conn = sqlite3.connect(ARGS["file"])
init_schema(conn)
for i in range(30):
    append(conn, {"event_type": "T", "aggregate_type": "order", "aggregate_id": "o-%d" % (i % 3), "payload": {"i": i}, "created_at": 1000 + i})`,
      { file },
    );
    expect(hasIndex(file)).toBe(true);

    const store = SqliteEventStore.open({ file });
    expect(store.schemaFeatures.schemaVersion).toBe(3);
    store.append(prepared({ event_type: 'T', aggregate_type: 'order', aggregate_id: 'o-1', payload: { i: 30 } }));
    store.close();
    expect(hasIndex(file)).toBe(false);
    expect(hasIndex(file, 'sqlite_autoindex_event_log_2')).toBe(true);
    expect(version(file)).toBe('3');

    // The seed's bot starts again: its migration creates the index, and it appends and reads.
    const out = runSeedPython(
      `conn = sqlite3.connect(ARGS["file"])
init_schema(conn)
seq = append(conn, {"event_type": "T", "aggregate_type": "order", "aggregate_id": "o-1", "payload": {"i": 31}, "created_at": 2000})
plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN SELECT * FROM event_log WHERE aggregate_type = 'order' AND aggregate_id = 'o-1' AND sequence_number > 0"))
print(json.dumps({"seq": seq, "n": len(get_events_for_aggregate(conn, "order", "o-1")), "plan": plan}))`,
      { file },
    );
    const seed = JSON.parse(out.trim()) as { seq: number; n: number; plan: string };
    expect(seed).toMatchObject({ seq: 12, n: 12 });
    expect(hasIndex(file)).toBe(true);

    // Our next open leaves the seed's index where it is (the file is already version 3).
    const again = SqliteEventStore.open({ file });
    expect(again.readAggregateSync('order', 'o-1').map((e) => e.sequence_number)).toEqual([...Array(12).keys()].map((i) => i + 1));
    again.close();
    expect(hasIndex(file)).toBe(true);
  });

  it('a new file of ours never has it, and aggregate reads use the unique index', () => {
    const file = tmp.file('ours.db');
    const store = SqliteEventStore.open({ file });
    store.appendBatch(
      [...Array(20).keys()].map((i) => prepared({ event_type: 'T', aggregate_type: 'order', aggregate_id: `o-${i % 4}`, payload: { i } })),
    );
    const plan = (
      store.connection
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM event_log WHERE aggregate_type = 'order' AND aggregate_id = 'o-1'")
        .all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toMatch(/USING INDEX sqlite_autoindex_event_log_2/);
    store.close();
    expect(hasIndex(file)).toBe(false);
  });
});
