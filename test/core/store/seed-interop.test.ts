import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../src-core';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';
import { runSeedPython } from '../../support/seed-python';
import { tempDir } from '../../support/temp';

const T0 = Date.UTC(2025, 11, 1, 15, 0);

describe('on-disk contract with the seed (python3 sqlite3)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  for (const withMigration of [true, false]) {
    it(`opens a file the seed's bot wrote (${withMigration ? 'migration 004' : 'EventStore._init_schema'}) read-only, events intact, bytes unchanged`, () => {
      const file = tmp.file('seed.db');
      runSeedPython(
        `conn = sqlite3.connect(ARGS["file"])
init_schema(conn, ARGS["migration"])
for i in range(5):
    append(conn, {"event_type": "POSITION_PRICE_UPDATED", "aggregate_type": "position", "aggregate_id": "pos_123",
                  "payload": {"position_id": "pos_123", "new_price": 150.0 + i, "new_unrealized_pnl": i * 100.0},
                  "created_at": ARGS["t0"] + i})
append(conn, {"event_type": "ORDER_REJECTED", "aggregate_type": "order", "aggregate_id": "ord_1",
              "payload": {"order_id": "ord_1", "reject_reason": "insufficient buying power"}, "metadata": None,
              "created_at": ARGS["t0"] + 10})
conn.close()`,
        { file, migration: withMigration, t0: T0 },
      );
      const bytes = readFileSync(file);
      const store = SqliteEventStore.open({ file, readOnly: true });
      const events = store.readAggregateSync('position', 'pos_123') as StoredEvent[];
      expect(events.map((e) => [e.sequence_number, e.payload.new_price, e.created_at])).toEqual(
        [0, 1, 2, 3, 4].map((i) => [i + 1, 150 + i, T0 + i]),
      );
      expect(events[0]!.metadata).toMatchObject({ source: 'seed', version: '1.0' });
      const rejected = store.readAggregateSync('order', 'ord_1')[0] as StoredEvent;
      expect(rejected.payload.reject_reason).toBe('insufficient buying power');
      expect(rejected.metadata.source).toBe('unknown'); // NULL metadata, filled with the seed's shape
      const page = store.readPageSync({}, { limit: 100 });
      expect(page.records).toHaveLength(6);
      store.close();
      expect(readFileSync(file).equals(bytes)).toBe(true);
      expect(existsSync(`${file}-wal`)).toBe(false);
      expect(existsSync(`${file}-shm`)).toBe(false);
    });
  }

  it("writes a file the seed's Python reads with its own query and JSON keys", () => {
    const file = tmp.file('ours.db');
    const store = SqliteEventStore.open({ file });
    // Prepared as the emitter prepares them: the seed's five metadata keys, complete.
    store.append(
      prepared({
        event_type: 'POSITION_OPENED',
        aggregate_type: 'position',
        aggregate_id: 'pos_9',
        payload: { position_id: 'pos_9', ticker: 'AAPL', side: 'long', quantity: 100, entry_price: 150 },
        metadata: { source: 'test', correlation_id: 'sig_1' },
        created_at: T0,
      }),
    );
    store.append(
      prepared({
        event_type: 'POSITION_CLOSED',
        aggregate_type: 'position',
        aggregate_id: 'pos_9',
        payload: { position_id: 'pos_9', exit_reason: 'take_profit', exit_price: 160, realized_pnl: 1000, hold_duration_seconds: 60 },
        created_at: T0 + 60_000,
      }),
    );
    store.close();
    const out = runSeedPython(
      `conn = sqlite3.connect(ARGS["file"])
events = get_events_for_aggregate(conn, "position", "pos_9")
init_schema(conn)  # the seed's bot runs its own DDL against our file at startup
append(conn, {"event_type": "POSITION_PRICE_UPDATED", "aggregate_type": "position", "aggregate_id": "pos_9",
              "payload": {"new_price": 161.0, "new_unrealized_pnl": 0.0}, "created_at": ARGS["t0"] + 61000})
print(json.dumps({"events": events, "after": len(get_events_for_aggregate(conn, "position", "pos_9"))}))`,
      { file, t0: T0 },
    );
    const parsed = JSON.parse(out) as {
      events: { event_type: string; sequence_number: number; payload: Record<string, unknown>; metadata: Record<string, unknown> }[];
      after: number;
    };
    expect(parsed.events.map((e) => [e.event_type, e.sequence_number])).toEqual([
      ['POSITION_OPENED', 1],
      ['POSITION_CLOSED', 2],
    ]);
    expect(parsed.events[0]!.payload).toMatchObject({ ticker: 'AAPL', entry_price: 150 });
    expect(Object.keys(parsed.events[0]!.metadata).sort()).toEqual(['causation_id', 'correlation_id', 'source', 'user_id', 'version']);
    expect(parsed.events[1]!.payload.realized_pnl).toBe(1000);
    expect(parsed.after).toBe(3);
    // the row the seed's code inserted got a global position from our trigger
    const again = SqliteEventStore.open({ file, readOnly: true });
    expect(again.readAggregateSync('position', 'pos_9').map((r) => r.position)).toEqual([1, 2, 3]);
    again.close();
  });

  it('migrates a seed file for writing: backfills positions in time order and adds the sequence guard', () => {
    const file = tmp.file('seed.db');
    runSeedPython(
      `conn = sqlite3.connect(ARGS["file"])
init_schema(conn, False)
for i in range(3):
    append(conn, {"event_type": "E", "aggregate_type": "t", "aggregate_id": "x", "payload": {"i": i}, "created_at": ARGS["t0"] + i})
conn.close()`,
      { file, t0: T0 },
    );
    const store = SqliteEventStore.open({ file });
    expect(store.readAggregateSync('t', 'x').map((r) => r.position)).toEqual([1, 2, 3]);
    expect(store.append(prepared({ event_type: 'E', aggregate_type: 't', aggregate_id: 'x', payload: { i: 3 } })).sequence_number).toBe(4);
    expect(() => store.connection.prepare("INSERT INTO event_log VALUES ('dup', 'E', 't', 'x', '{}', NULL, 1, 4)").run()).toThrow(/UNIQUE/);
    store.close();
  });
});
