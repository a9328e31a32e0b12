import { execFileSync } from 'node:child_process';

/**
 * The seed guide's own Python (EventStore._init_schema, migration 004 and EventStore.append),
 * run with python3's sqlite3, to write files exactly as the seed's bot would.
 */
export const SEED_PY = String.raw`
import json, sqlite3, sys, uuid

def init_schema(conn, with_migration=True):
    cur = conn.cursor()
    if with_migration:
        cur.execute("""
            CREATE TABLE IF NOT EXISTS event_log (
                event_id TEXT PRIMARY KEY,
                event_type TEXT NOT NULL,
                aggregate_type TEXT NOT NULL,
                aggregate_id TEXT NOT NULL,
                payload TEXT NOT NULL,
                metadata TEXT,
                created_at INTEGER NOT NULL,
                sequence_number INTEGER,
                UNIQUE(aggregate_type, aggregate_id, sequence_number)
            )
        """)
        cur.execute("CREATE INDEX IF NOT EXISTS idx_event_log_created_at ON event_log(created_at)")
        cur.execute("CREATE INDEX IF NOT EXISTS idx_event_log_aggregate ON event_log(aggregate_type, aggregate_id)")
        cur.execute("CREATE INDEX IF NOT EXISTS idx_event_log_type ON event_log(event_type)")
        cur.execute("""
            CREATE TABLE IF NOT EXISTS event_snapshots (
                snapshot_id TEXT PRIMARY KEY,
                aggregate_type TEXT NOT NULL,
                aggregate_id TEXT NOT NULL,
                state TEXT NOT NULL,
                last_event_id TEXT NOT NULL,
                last_sequence_number INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE(aggregate_type, aggregate_id)
            )
        """)
    else:
        cur.execute("""
            CREATE TABLE IF NOT EXISTS event_log (
                event_id TEXT PRIMARY KEY,
                event_type TEXT NOT NULL,
                aggregate_type TEXT NOT NULL,
                aggregate_id TEXT NOT NULL,
                payload TEXT NOT NULL,
                metadata TEXT,
                created_at INTEGER NOT NULL,
                sequence_number INTEGER
            )
        """)
        cur.execute("CREATE INDEX IF NOT EXISTS idx_event_log_aggregate ON event_log(aggregate_type, aggregate_id)")
        cur.execute("CREATE INDEX IF NOT EXISTS idx_event_log_type ON event_log(event_type)")
        cur.execute("CREATE INDEX IF NOT EXISTS idx_event_log_created_at ON event_log(created_at)")
    conn.commit()

def append(conn, event):
    cur = conn.cursor()
    cur.execute("""
        SELECT COALESCE(MAX(sequence_number), 0) + 1
        FROM event_log
        WHERE aggregate_type = ? AND aggregate_id = ?
    """, (event["aggregate_type"], event["aggregate_id"]))
    seq = cur.fetchone()[0]
    cur.execute("""
        INSERT INTO event_log (
            event_id, event_type, aggregate_type, aggregate_id,
            payload, metadata, created_at, sequence_number
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    """, (
        event.get("event_id") or str(uuid.uuid4()),
        event["event_type"], event["aggregate_type"], event["aggregate_id"],
        json.dumps(event["payload"]),
        # a present-but-None metadata is written as SQL NULL, as the seed's column allows
        (None if event["metadata"] is None else json.dumps(event["metadata"])) if "metadata" in event
        else json.dumps({"source": "seed", "correlation_id": None, "causation_id": None, "user_id": None, "version": "1.0"}),
        event["created_at"], seq,
    ))
    conn.commit()
    return seq

def get_events_for_aggregate(conn, aggregate_type, aggregate_id, since_sequence=0):
    conn.row_factory = sqlite3.Row
    cur = conn.cursor()
    cur.execute("""
        SELECT event_id, event_type, aggregate_type, aggregate_id,
               payload, metadata, created_at, sequence_number
        FROM event_log
        WHERE aggregate_type = ? AND aggregate_id = ? AND sequence_number > ?
        ORDER BY sequence_number ASC
    """, (aggregate_type, aggregate_id, since_sequence))
    out = []
    for row in cur.fetchall():
        out.append({
            "event_id": row["event_id"], "event_type": row["event_type"],
            "aggregate_type": row["aggregate_type"], "aggregate_id": row["aggregate_id"],
            "payload": json.loads(row["payload"]),
            "metadata": json.loads(row["metadata"]) if row["metadata"] else None,
            "created_at": row["created_at"], "sequence_number": row["sequence_number"],
        })
    return out
`;

/** Run a python3 snippet with the seed helpers in scope; `ARGS` is the parsed JSON argument. */
export function runSeedPython(body: string, args: unknown): string {
  const script = `${SEED_PY}\nARGS = json.loads(sys.argv[1])\n${body}\n`;
  return execFileSync('python3', ['-c', script, JSON.stringify(args)], { encoding: 'utf8' });
}
