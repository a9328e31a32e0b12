import { basename } from 'node:path';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store';
import type { RawEventRow } from '../store/types';

export type { RawEventRow };

/**
 * The forwarder's view of a local log: opened read-only (never migrated, never written), read
 * through the store's raw batches, so corrupt rows and unusual JSON formatting travel byte for
 * byte and SQLite itself reads the correlation id, as its reader does.
 */
export class SqliteSource {
  readonly file: string;
  private readonly store: SqliteEventStore;

  constructor(file: string) {
    this.file = file;
    this.store = SqliteEventStore.open({ file, readOnly: true });
  }

  /** Rows with position > after, in position order. */
  readBatch(after: number, limit: number): RawEventRow[] {
    return this.store.readRawBatchSync(after, limit);
  }

  /** The event id at exactly this position, or null. */
  eventIdAt(position: number): string | null {
    const row = this.readBatch(position - 1, 1)[0];
    return row && row.position === position ? row.event_id : null;
  }

  head(): number {
    return this.store.headPositionSync();
  }

  /**
   * A name for this file that survives restarts and renames of nothing: its basename plus the
   * creation time our store recorded in catalyst_meta; on a seed-written file (no meta), the
   * first event's id. null while a seed file is still empty (nothing to name yet).
   */
  defaultSourceName(): string | null {
    const name = basename(this.file);
    const created = this.store.createdAtMeta();
    if (created !== null) return `${name}@${created}`;
    const first = this.readBatch(0, 1)[0];
    return first ? `${name}@${first.event_id}` : null;
  }

  close(): void {
    this.store.close();
  }
}
