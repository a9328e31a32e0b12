import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { type EventRow, isCorruptRow } from '../store/sqlite/row-mapper';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store';

/**
 * One event_log row exactly as the file holds it (position: event_position, or rowid on a
 * seed-written file), plus what SQLite's JSON functions say of it.
 */
export interface RawEventRow extends EventRow {
  /** metadata.correlation_id when it is a JSON string: what the SQLite reader matches on. */
  correlation_id: string | null;
  /** 1 unless reads flag the row as corrupt (isCorruptRow: the rule stats and the viewer use). */
  json_ok: number;
}

/**
 * The forwarder's view of a local log: opened read-only (never migrated, never written), read
 * as raw text so corrupt rows and unusual JSON formatting travel byte for byte. SQLite itself
 * computes the correlation id and validity, with the same expressions its reader uses.
 */
export class SqliteSource {
  readonly file: string;
  private readonly store: SqliteEventStore;
  private readonly db: Database.Database;
  private readonly batchStmt: Database.Statement;
  private readonly headStmt: Database.Statement;

  constructor(file: string) {
    this.file = file;
    this.store = SqliteEventStore.open({ file, readOnly: true });
    this.db = this.store.connection;
    const positioned = this.store.schemaFeatures.hasPositionTable;
    const pos = positioned ? 'p.position' : 'e.rowid';
    const from = positioned ? 'event_position p CROSS JOIN event_log e ON e.event_id = p.event_id' : 'event_log e';
    this.batchStmt = this.db.prepare(
      `SELECT ${pos} AS position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id,
              CAST(e.payload AS TEXT) AS payload, CAST(e.metadata AS TEXT) AS metadata,
              e.created_at, e.sequence_number,
              CASE WHEN json_valid(e.metadata) AND json_type(e.metadata, '$.correlation_id') = 'text'
                   THEN json_extract(e.metadata, '$.correlation_id') END AS correlation_id
       FROM ${from} WHERE ${pos} > ? ORDER BY ${pos} LIMIT ?`,
    );
    this.headStmt = this.db.prepare(
      positioned ? 'SELECT COALESCE(MAX(position), 0) FROM event_position' : 'SELECT COALESCE(MAX(rowid), 0) FROM event_log',
    ).pluck();
  }

  /** Rows with position > after, in position order. */
  readBatch(after: number, limit: number): RawEventRow[] {
    const rows = this.batchStmt.all(after, limit) as RawEventRow[];
    for (const row of rows) row.json_ok = isCorruptRow(row) ? 0 : 1;
    return rows;
  }

  /** The event id at exactly this position, or null. */
  eventIdAt(position: number): string | null {
    const row = this.readBatch(position - 1, 1)[0];
    return row && row.position === position ? row.event_id : null;
  }

  head(): number {
    return this.headStmt.get() as number;
  }

  /**
   * A name for this file that survives restarts and renames of nothing: its basename plus the
   * creation time our store recorded in catalyst_meta; on a seed-written file (no meta), the
   * first event's id. null while a seed file is still empty (nothing to name yet).
   */
  defaultSourceName(): string | null {
    const name = basename(this.file);
    const hasMeta = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalyst_meta'")
      .pluck()
      .get();
    if (hasMeta) {
      const created = this.db.prepare("SELECT value FROM catalyst_meta WHERE key = 'created_at'").pluck().get();
      if (typeof created === 'string' && created) return `${name}@${created}`;
    }
    const first = this.readBatch(0, 1)[0];
    return first ? `${name}@${first.event_id}` : null;
  }

  close(): void {
    this.store.close();
  }
}
