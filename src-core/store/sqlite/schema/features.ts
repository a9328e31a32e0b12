import type Database from 'better-sqlite3';
import { SchemaVersionError } from '../../../errors';

/**
 * Bumped when our additions change shape. A file with a higher version is refused.
 * 1: event_position(position, event_id UNIQUE), a correlation index on every row.
 * 2: event_position(position, log_rowid) — no second index on the 36-character event id —
 *    and a partial correlation index (rows that carry a correlation id only).
 * 3: without the seed's (aggregate_type, aggregate_id) index, a prefix of its unique
 *    (aggregate_type, aggregate_id, sequence_number) index (see SEED_PREFIX_INDEX).
 */
export const SCHEMA_VERSION = 3;

/**
 * How positions are found: `log_rowid` (version 2), `event_id` (a version-1 file opened
 * read-only), or null (a seed-written file: no position table, rowid is the order).
 */
export type PositionLink = 'log_rowid' | 'event_id' | null;

export interface SchemaFeatures {
  hasEventLog: boolean;
  hasSnapshots: boolean;
  hasSnapshotReducerVersion: boolean;
  /** event_snapshots.state_checksum (additive: older builds ignore the column). */
  hasSnapshotChecksum: boolean;
  hasPositionTable: boolean;
  positionLink: PositionLink;
  hasCheckpoints: boolean;
  hasMeta: boolean;
  schemaVersion: number | null;
  /** catalyst_meta's schema_version as written, for messages. */
  schemaVersionText: string | null;
}

export function readFeatures(db: Database.Database): SchemaFeatures {
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  let schemaVersion: number | null = null;
  let schemaVersionText: string | null = null;
  if (tables.has('catalyst_meta')) {
    // A column value as SQLite returns it (undefined: no such row).
    const v = db.prepare("SELECT value FROM catalyst_meta WHERE key = 'schema_version'").pluck().get() as
      string | number | bigint | Buffer | null | undefined;
    // Only a plain integer is a version this code can compare: '2.0-beta' or '' counts as newer
    // than any (refused, never overwritten), since no build of ours wrote it.
    schemaVersion = v === undefined ? null : /^\d+$/.test(String(v)) ? Number(v) : Number.POSITIVE_INFINITY;
    schemaVersionText = v === undefined ? null : String(v);
  }
  const columns = (table: string): string[] =>
    tables.has(table) ? (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]) : [];
  const positionColumns = columns('event_position');
  const positionLink: PositionLink = positionColumns.includes('log_rowid')
    ? 'log_rowid'
    : positionColumns.includes('event_id')
      ? 'event_id'
      : null;
  return {
    hasEventLog: tables.has('event_log'),
    hasSnapshots: tables.has('event_snapshots'),
    hasSnapshotReducerVersion: columns('event_snapshots').includes('reducer_version'),
    hasSnapshotChecksum: columns('event_snapshots').includes('state_checksum'),
    hasPositionTable: positionLink !== null,
    positionLink,
    hasCheckpoints: tables.has('subscription_checkpoints'),
    hasMeta: tables.has('catalyst_meta'),
    schemaVersion,
    schemaVersionText,
  };
}

export function assertSupportedVersion(file: string, features: SchemaFeatures): void {
  if (features.schemaVersion !== null && features.schemaVersion > SCHEMA_VERSION) {
    throw new SchemaVersionError(
      file,
      Number.isFinite(features.schemaVersion) ? features.schemaVersion : (features.schemaVersionText ?? ''),
      SCHEMA_VERSION,
    );
  }
}

/** True when the file is at this version with every addition in place: opening it writes nothing. */
export function isCurrent(features: SchemaFeatures): boolean {
  return (
    features.schemaVersion === SCHEMA_VERSION &&
    features.positionLink === 'log_rowid' &&
    features.hasCheckpoints &&
    features.hasSnapshotReducerVersion &&
    features.hasSnapshotChecksum
  );
}
