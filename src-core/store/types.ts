import type { CorruptEvent, EventRecord, PreparedEvent, StoredEvent } from '../events/types';
import type { EventRow } from './row-mapper';

export type { EventRow };

/**
 * Which events {@link EventReader.readPage} returns: every field given must match, an absent
 * one matches everything.
 */
export interface EventFilter {
  /** event_type IN (...) */
  types?: readonly string[];
  aggregateType?: string;
  aggregateId?: string;
  correlationId?: string;
  /** created_at >= since (Unix ms) */
  since?: number;
  /** created_at <= until (Unix ms) */
  until?: number;
  /** Case-insensitive substring of the raw payload text. */
  text?: string;
  /** Only where the backend records one (PostgreSQL: the forwarding source). */
  source?: string;
}

/** Where a page of the global stream starts, how long it is and which way it runs. */
export interface PageRequest {
  /** Keyset cursor: records with position > after (forward) or < after (backward). */
  after?: number;
  /** Records per page, clamped to 1..10,000. */
  limit: number;
  /** Default `forward` (rising positions). */
  direction?: 'forward' | 'backward';
}

/** One page of the global stream. */
export interface EventPage {
  /** In position order (falling when backward); corrupt rows included, flagged. */
  records: EventRecord[];
  /** Cursor for the next page in the same direction, or null at the end. */
  next: number | null;
}

/** Which part of an aggregate's history to read; every bound is inclusive, an absent one open. */
export interface AggregateRange {
  /** Only events with sequence_number >= fromSequence. */
  fromSequence?: number;
  /** Only events with sequence_number <= toSequence. */
  toSequence?: number;
  /** Only events with created_at <= untilTime. */
  untilTime?: number;
}

/**
 * What a fold that reads no event's metadata and no global position sees of an event: the
 * rest of the envelope and the payload. Every StoredEvent is one.
 */
export type LeanEvent = Omit<StoredEvent, 'position' | 'metadata'>;

/**
 * How much of each row a stream reads. `lean`: events may come as LeanEvents (metadata and
 * position not read: the costliest columns of a long rebuild); a row that is not clean JSON
 * still comes whole, flagged by the row mapper exactly as every other read flags it.
 */
export interface AggregateProjection {
  lean: true;
  /** Event types whose events come with their metadata (an upcaster reads metadata.version). */
  metadataTypes?: readonly string[];
}

/** One aggregate as {@link EventReader.listAggregates} lists it. */
export interface AggregateSummary {
  aggregate_type: string;
  aggregate_id: string;
  /** Its highest sequence_number (0 when none of its rows has one). */
  version: number;
  /** Number of its events. */
  events: number;
  /** Earliest created_at of its events (Unix ms). */
  first_at: number;
  /** Latest created_at of its events (Unix ms). */
  last_at: number;
  /** event_type of its highest-sequence event. */
  last_event_type: string;
}

/** Counts over a whole log (a scoped PostgreSQL reader: over its source), from {@link EventReader.stats}. */
export interface LogStats {
  /** Events in the log, corrupt rows included. */
  total: number;
  /** Rows whose JSON does not parse (every read returns them flagged). */
  corrupt: number;
  /** Events per event_type. */
  byType: Record<string, number>;
  /** Events per aggregate_type. */
  byAggregateType: Record<string, number>;
  /** Distinct (aggregate_type, aggregate_id) pairs. */
  aggregates: number;
  /** Earliest created_at (Unix ms); null on an empty log. */
  firstAt: number | null;
  /** Latest created_at (Unix ms); null on an empty log. */
  lastAt: number | null;
  /** Bytes on disk of the main file (null where it has no meaning). */
  fileBytes: number | null;
  /** Highest global position, 0 on an empty log. */
  headPosition: number;
}

/**
 * The query side: everything the rebuilder, CLI and viewer read. Async so a PostgreSQL
 * implementation slots in beside SQLite without touching callers.
 */
export interface EventReader {
  /** True when the store behind it refuses writes. */
  readonly readOnly: boolean;
  /** An aggregate's events in sequence order (corrupt rows included, flagged). */
  readAggregate(aggregateType: string, aggregateId: string, range?: AggregateRange): Promise<EventRecord[]>;
  /**
   * Optional: the same rows as a synchronous stream, one at a time (SQLite), so folding a
   * long aggregate holds one event in memory, not its history. Iterate it at once and to the
   * end, with no other read on the store in between (the statement holds the connection).
   */
  streamAggregate?(aggregateType: string, aggregateId: string, range?: AggregateRange): Iterable<EventRecord>;
  /** With a projection a store may honour (or ignore: whole records are lean ones too). */
  streamAggregate?(
    aggregateType: string,
    aggregateId: string,
    range: AggregateRange | undefined,
    projection: AggregateProjection,
  ): Iterable<EventRecord | LeanEvent>;
  /** A keyset page of the global stream, filtered. Never uses OFFSET. */
  readPage(filter: EventFilter, page: PageRequest): Promise<EventPage>;
  /** Every event whose metadata.correlation_id is `correlationId`, in global order. */
  readByCorrelation(correlationId: string): Promise<EventRecord[]>;
  /** One event by id (a corrupt row comes flagged); null when no event has that id. */
  getEvent(eventId: string): Promise<EventRecord | null>;
  /** Last sequence number of the aggregate; 0 when it has no events. */
  aggregateVersion(aggregateType: string, aggregateId: string): Promise<number>;
  /**
   * A keyset page of aggregates, in (aggregate_type, aggregate_id) order. `limit`: default
   * 1000, clamped to 1..100,000. `afterId`: the last id of the previous page; ids alone are
   * compared, so page with `aggregateType` set.
   */
  listAggregates(options?: { aggregateType?: string; limit?: number; afterId?: string }): Promise<AggregateSummary[]>;
  /** Counts over the whole log: a full pass, for tools rather than a bot's hot path. */
  stats(): Promise<LogStats>;
  /**
   * Optional: the aggregate types that have events, sorted, without a pass over the log (a
   * reader without it is asked for `stats` instead).
   */
  aggregateTypes?(): Promise<string[]>;
  /** Highest global position, 0 on an empty log. */
  headPosition(): Promise<number>;
  /** Releases the connection; a second call does nothing. Read nothing through it afterwards. */
  close(): Promise<void> | void;
}

/**
 * The write side: synchronous because better-sqlite3 is, so `sync` mode is durable on return.
 * It takes prepared events only: the emitter completes ids, time and metadata once, and the
 * store writes exactly what it is given (it applies no defaults of its own).
 */
export interface EventWriter {
  /** Append one event atomically. Same id + same content again: returns the stored one. */
  append(event: PreparedEvent): StoredEvent;
  /** Append all or nothing, in one `BEGIN IMMEDIATE` transaction. */
  appendBatch(events: readonly PreparedEvent[]): StoredEvent[];
  /**
   * How a second read-write connection opens on the same log with the same settings (the
   * buffered emitter's writer thread), with this connection's page cap read now; null (or
   * absent) when no second connection can share the log (in-memory, read-only).
   */
  writerOptions?(): WriterConnectionOptions | null;
}

/** What a second writer connection needs (plain data: it crosses to a worker thread). */
export interface WriterConnectionOptions {
  file: string;
  durability?: 'off' | 'normal' | 'full';
  busyTimeoutMs?: number;
  cacheSizeKb?: number;
  /** This connection's `max_page_count` (a cap set on it binds the second connection too). */
  maxPageCount: number;
}

/**
 * An aggregate's state saved at one of its events, so a rebuild folds only the events after
 * it. The rebuilder uses one only when it checks out (see {@link SnapshotIgnoredReason}).
 */
export interface Snapshot {
  aggregate_type: string;
  aggregate_id: string;
  /** The reducer's state (JSON). */
  state: unknown;
  /** null on a seed-written snapshot (no version recorded): never trusted. */
  reducer_version: number | null;
  /** Id of the last event folded into `state`. */
  last_event_id: string;
  /** Sequence number of the last event folded into `state`. */
  last_sequence_number: number;
  /** When it was written (Unix ms). */
  created_at: number;
  /**
   * snapshotChecksum() of the state and the point it stands for, written by the store on save;
   * null or absent on snapshots written without one (older files, the seed): never trusted.
   */
  checksum?: string | null;
}

/** Where the rebuilder loads and saves snapshots (one per aggregate). */
export interface SnapshotStore {
  /** False on a read-only store: the rebuilder then writes none. */
  readonly canWriteSnapshots: boolean;
  /** The aggregate's snapshot; null when it has none (or none that reads as JSON). */
  loadSnapshot(aggregateType: string, aggregateId: string): Promise<Snapshot | null>;
  /**
   * Replaces the aggregate's snapshot (one per aggregate, as the seed defines it).
   * @throws {@link ReadOnlyStoreError} on a read-only store.
   */
  saveSnapshot(snapshot: Omit<Snapshot, 'created_at'> & { created_at?: number }): void;
}

/** Named positions in the global stream: where each {@link Subscription} resumes. */
export interface CheckpointStore {
  /** The position `name` last saved; null when it never saved one. */
  getCheckpoint(name: string): number | null;
  /**
   * Records that `name` has handled the stream up to `position` (replacing what it saved before).
   * @throws {@link ReadOnlyStoreError} on a read-only store.
   */
  saveCheckpoint(name: string, position: number): void;
}

/** One event_log row exactly as stored (text untouched), for the forwarder. */
export interface RawEventRow extends EventRow {
  /** metadata.correlation_id when it is a JSON string: what the readers match on. */
  correlation_id: string | null;
  /** 1 unless reads flag the row as corrupt (isCorruptRow: the rule stats and the viewer use). */
  json_ok: number;
}

/** One page of {@link LogInspector.corruptRows}. */
export interface CorruptRowPage {
  /** Corrupt rows, in position order. */
  records: CorruptEvent[];
  /** Cursor (a position) for the next page, or null when the log has no more. */
  next: number | null;
}

/** What {@link LogInspector.integrityCheck} found. */
export interface IntegrityReport {
  /** What was run, e.g. `SQLite quick_check`. */
  check: string;
  /** True when the backend found nothing wrong. */
  ok: boolean;
  /** The backend's own words: `['ok']` when sound, else one line per problem. */
  lines: string[];
}

/** One aggregate whose sequence numbers are not exactly 1, 2, 3, … */
export interface SequenceProblem {
  aggregate_type: string;
  aggregate_id: string;
  /**
   * `gap`: numbers missing (from 1 on); `duplicate`: one number on several rows;
   * `no_sequence`: rows without a usable number (null, not an integer, or below 1).
   */
  kind: 'gap' | 'duplicate' | 'no_sequence';
  /** e.g. `missing 3..4`, `7 appears 2 times` */
  detail: string;
  /** A gap's missing sequence numbers, first and last (what `detail` says, for code to read). */
  missing?: { from: number; to: number };
  /** Event ids involved (duplicates and rows without a sequence number). */
  event_ids: string[];
}

/** What {@link LogInspector.checkSequences} found. */
export interface SequenceReport {
  /** Aggregates seen (distinct aggregate_type, aggregate_id). */
  aggregates: number;
  /** Empty when every aggregate is numbered 1..n. */
  problems: SequenceProblem[];
}

/**
 * What tools need from a log beyond reading events (the forwarder, `verify`, the viewer's
 * corrupt-row list), so no code outside the store touches a connection. Every scan streams:
 * memory is bounded by a page, or by the number of aggregates, never by the number of events.
 */
export interface LogInspector {
  /** Rows with position > afterPosition, in position order, as stored, corrupt ones flagged. */
  readRawBatch(afterPosition: number, limit: number): Promise<RawEventRow[]>;
  /** A keyset page of the rows reads flag as corrupt. */
  corruptRows(page: { after?: number; limit: number }): Promise<CorruptRowPage>;
  /** The backend's own consistency check of its files or catalog. */
  integrityCheck(): Promise<IntegrityReport>;
  /** Gaps, duplicates and unnumbered rows per aggregate, from one ordered scan. */
  checkSequences(): Promise<SequenceReport>;
  /** The aggregates that have a snapshot (none on a backend that keeps none). */
  snapshotKeys(): Promise<{ aggregateType: string; aggregateId: string }[]>;
}

/** Whether a store offers the {@link LogInspector} scans (it tests for readRawBatch, corruptRows, integrityCheck, checkSequences). */
export function isLogInspector(value: unknown): value is LogInspector {
  const v = value as Partial<LogInspector> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.readRawBatch === 'function' &&
    typeof v.corruptRows === 'function' &&
    typeof v.integrityCheck === 'function' &&
    typeof v.checkSequences === 'function'
  );
}

/** The aggregate types that have events, sorted: the reader's own index walk when it has one, else from `stats`. */
export async function aggregateTypesOf(reader: EventReader): Promise<string[]> {
  if (reader.aggregateTypes) return reader.aggregateTypes();
  return Object.keys((await reader.stats()).byAggregateType).sort();
}
