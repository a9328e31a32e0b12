import type { CorruptEvent, EventRecord } from '../events/types';
import { isCorruptEvent } from '../events/types';
import { ReadOnlyStoreError } from '../errors';
import { SequenceScan } from '../store/sequence-scan';
import {
  aggregateTypesOf,
  type AggregateRange,
  type AggregateSummary,
  type CorruptRowPage,
  type EventFilter,
  type EventPage,
  type EventReader,
  type IntegrityReport,
  type LogInspector,
  type LogStats,
  type PageRequest,
  type RawEventRow,
  type SequenceReport,
  type Snapshot,
  type SnapshotStore,
} from '../store/types';

/** One file of a log over many files: the live file or an archive segment. */
export interface Segment {
  /** What to call it in messages and on corrupt rows: its path. */
  readonly label: string;
  /** The file opened read-only. */
  readonly reader: EventReader & SnapshotStore & LogInspector;
}

/** A corrupt row read through a segmented log carries the file it lives in. */
export type SegmentCorruptEvent = CorruptEvent & { file: string };

const LIST_PAGE = 10_000;

function byPosition(direction: 'forward' | 'backward') {
  return direction === 'backward'
    ? (a: EventRecord, b: EventRecord) => b.position - a.position
    : (a: EventRecord, b: EventRecord) => a.position - b.position;
}

/**
 * Several files presented as one log. An archive keeps every row's original global position,
 * so the files' positions never overlap and a merge by position is the one global order; an
 * aggregate's sequence numbers continue across files (its early events in a segment, the rest
 * in the live file). The same event in two files (an archive interrupted between its copy and
 * its delete, before recovery ran) is read once: positions and event ids are the same.
 */
export class SegmentedLog implements EventReader, SnapshotStore, LogInspector {
  readonly readOnly = true;
  readonly canWriteSnapshots = false;

  constructor(readonly segments: readonly Segment[]) {
    if (segments.length === 0) throw new RangeError('a segmented log needs at least one file');
  }

  get label(): string {
    return this.segments.map((s) => s.label).join(' + ');
  }

  private tag(record: EventRecord, segment: Segment): EventRecord {
    if (isCorruptEvent(record)) (record as SegmentCorruptEvent).file = segment.label;
    return record;
  }

  /** Records from every segment, merged in order, each event once (the first segment's copy wins). */
  private merge(lists: EventRecord[][], compare: (a: EventRecord, b: EventRecord) => number): EventRecord[] {
    const seen = new Set<string>();
    const out: EventRecord[] = [];
    for (const record of lists.flat().sort(compare)) {
      if (seen.has(record.event_id)) continue;
      seen.add(record.event_id);
      out.push(record);
    }
    return out;
  }

  async readAggregate(aggregateType: string, aggregateId: string, range?: AggregateRange): Promise<EventRecord[]> {
    const lists = await Promise.all(
      this.segments.map(async (s) => (await s.reader.readAggregate(aggregateType, aggregateId, range)).map((r) => this.tag(r, s))),
    );
    return this.merge(lists, (a, b) => (a.sequence_number ?? 0) - (b.sequence_number ?? 0) || a.position - b.position);
  }

  /**
   * A k-way merge of each file's keyset page: each holds its `limit` first records past the
   * cursor, so the first `limit` of their union are the log's.
   */
  async readPage(filter: EventFilter, page: PageRequest): Promise<EventPage> {
    const direction = page.direction ?? 'forward';
    const pages = await Promise.all(
      this.segments.map(async (s) => {
        const p = await s.reader.readPage(filter, page);
        return { more: p.next !== null, records: p.records.map((r) => this.tag(r, s)) };
      }),
    );
    const merged = this.merge(
      pages.map((p) => p.records),
      byPosition(direction),
    );
    const limit = Math.max(1, Math.floor(page.limit));
    const records = merged.slice(0, limit);
    const more = merged.length > limit || pages.some((p) => p.more);
    return { records, next: more && records.length > 0 ? records[records.length - 1]!.position : null };
  }

  async readByCorrelation(correlationId: string): Promise<EventRecord[]> {
    const lists = await Promise.all(
      this.segments.map(async (s) => (await s.reader.readByCorrelation(correlationId)).map((r) => this.tag(r, s))),
    );
    return this.merge(lists, byPosition('forward'));
  }

  /** The event with this id from whichever file holds it (a corrupt row carries its `file`); null when none does. */
  async getEvent(eventId: string): Promise<EventRecord | null> {
    for (const s of this.segments) {
      const found = await s.reader.getEvent(eventId);
      if (found) return this.tag(found, s);
    }
    return null;
  }

  async aggregateVersion(aggregateType: string, aggregateId: string): Promise<number> {
    const versions = await Promise.all(this.segments.map((s) => s.reader.aggregateVersion(aggregateType, aggregateId)));
    return Math.max(0, ...versions);
  }

  /**
   * Aggregates in (type, id) order, merged across files. A file whose page came back full may
   * hold more keys beyond its last one, so nothing past the smallest such last key is listed
   * in this page (the next page, after it, brings them).
   */
  async listAggregates(options: { aggregateType?: string; limit?: number; afterId?: string } = {}): Promise<AggregateSummary[]> {
    const limit = Math.max(1, Math.min(100_000, options.limit ?? 1000));
    const pages = await Promise.all(this.segments.map((s) => s.reader.listAggregates({ ...options, limit })));
    const key = (a: AggregateSummary): string => `${a.aggregate_type}\u0000${a.aggregate_id}`;
    let cutoff: string | null = null;
    for (const page of pages) {
      if (page.length >= limit) {
        const last = key(page[page.length - 1]!);
        if (cutoff === null || last < cutoff) cutoff = last;
      }
    }
    const merged = new Map<string, AggregateSummary>();
    for (const page of pages) {
      for (const a of page) {
        const k = key(a);
        if (cutoff !== null && k > cutoff) continue;
        const prior = merged.get(k);
        if (!prior) {
          merged.set(k, { ...a });
          continue;
        }
        merged.set(k, {
          aggregate_type: a.aggregate_type,
          aggregate_id: a.aggregate_id,
          version: Math.max(prior.version, a.version),
          events: prior.events + a.events,
          first_at: Math.min(prior.first_at, a.first_at),
          last_at: Math.max(prior.last_at, a.last_at),
          last_event_type: a.version > prior.version ? a.last_event_type : prior.last_event_type,
        });
      }
    }
    return [...merged.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([, a]) => a);
  }

  /**
   * Counts summed over the files; an aggregate spanning several files counts once. `fileBytes` is
   * null unless every file reports its size.
   */
  async stats(): Promise<LogStats> {
    const all = await Promise.all(this.segments.map((s) => s.reader.stats()));
    const add = (into: Record<string, number>, from: Record<string, number>): void => {
      for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
    };
    const byType: Record<string, number> = {};
    const byAggregateType: Record<string, number> = {};
    for (const s of all) {
      add(byType, s.byType);
      add(byAggregateType, s.byAggregateType);
    }
    const firsts = all.map((s) => s.firstAt).filter((t): t is number => t !== null);
    const lasts = all.map((s) => s.lastAt).filter((t): t is number => t !== null);
    const bytes = all.map((s) => s.fileBytes);
    return {
      total: all.reduce((n, s) => n + s.total, 0),
      corrupt: all.reduce((n, s) => n + s.corrupt, 0),
      byType,
      byAggregateType,
      aggregates: await this.countAggregates(),
      firstAt: firsts.length ? Math.min(...firsts) : null,
      lastAt: lasts.length ? Math.max(...lasts) : null,
      fileBytes: bytes.every((b) => b !== null) ? bytes.reduce((n: number, b) => n + b, 0) : null,
      headPosition: Math.max(0, ...all.map((s) => s.headPosition)),
    };
  }

  /** Distinct aggregates over all files (one spanning a segment and the live file counts once). */
  private async countAggregates(): Promise<number> {
    let count = 0;
    for (const type of await this.aggregateTypes()) {
      for (let afterId: string | undefined; ;) {
        const page = await this.listAggregates({ aggregateType: type, limit: LIST_PAGE, ...(afterId !== undefined ? { afterId } : {}) });
        count += page.length;
        if (page.length < LIST_PAGE) break;
        afterId = page[page.length - 1]!.aggregate_id;
      }
    }
    return count;
  }

  /** Every file's aggregate types, merged and sorted. */
  async aggregateTypes(): Promise<string[]> {
    const types = new Set<string>();
    for (const s of this.segments) for (const t of await aggregateTypesOf(s.reader)) types.add(t);
    return [...types].sort();
  }

  async headPosition(): Promise<number> {
    return Math.max(0, ...(await Promise.all(this.segments.map((s) => s.reader.headPosition()))));
  }

  /** The newest snapshot any file holds (the live file's, unless the aggregate was archived whole). */
  async loadSnapshot(aggregateType: string, aggregateId: string): Promise<Snapshot | null> {
    let best: Snapshot | null = null;
    for (const s of this.segments) {
      const snapshot = await s.reader.loadSnapshot(aggregateType, aggregateId);
      if (snapshot && (!best || snapshot.last_sequence_number > best.last_sequence_number)) best = snapshot;
    }
    return best;
  }

  // ---------------------------------------------------------------- LogInspector

  /** Raw rows of every file merged by position, each once. */
  async readRawBatch(afterPosition: number, limit: number): Promise<RawEventRow[]> {
    const batches = await Promise.all(this.segments.map((s) => s.reader.readRawBatch(afterPosition, limit)));
    const seen = new Set<number>();
    const out: RawEventRow[] = [];
    for (const row of batches.flat().sort((a, b) => a.position - b.position)) {
      if (seen.has(row.position)) continue;
      seen.add(row.position);
      out.push(row);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Corrupt rows of every file, merged by position, each with the file it lives in. */
  async corruptRows(page: { after?: number; limit: number }): Promise<CorruptRowPage> {
    const pages = await Promise.all(
      this.segments.map(async (s) => {
        const p = await s.reader.corruptRows(page);
        return { more: p.next !== null, records: p.records.map((r) => this.tag(r, s) as CorruptEvent) };
      }),
    );
    const merged = this.merge(
      pages.map((p) => p.records),
      byPosition('forward'),
    ) as CorruptEvent[];
    const limit = Math.max(1, Math.floor(page.limit));
    const records = merged.slice(0, limit);
    const more = merged.length > limit || pages.some((p) => p.more);
    return { records, next: more && records.length > 0 ? records[records.length - 1]!.position : null };
  }

  /** Each file's own check; sound when every file is, its lines prefixed with the file. */
  async integrityCheck(): Promise<IntegrityReport> {
    const reports = await Promise.all(this.segments.map(async (s) => ({ label: s.label, report: await s.reader.integrityCheck() })));
    return {
      check: `${reports[0]!.report.check} (${reports.length} files)`,
      ok: reports.every((r) => r.report.ok),
      lines: reports
        .flatMap((r) => (r.report.ok ? [] : r.report.lines.map((line) => `${r.label}: ${line}`)))
        .concat(reports.every((r) => r.report.ok) ? ['ok'] : []),
    };
  }

  /**
   * Sequences across files: an aggregate's early events in a segment and the rest in the live
   * file are one run 1, 2, 3... Read aggregate by aggregate (memory: one aggregate's events).
   */
  async checkSequences(): Promise<SequenceReport> {
    const scan = new SequenceScan();
    const ids = new Map<string, Map<number, string[]>>();
    for (const type of await this.aggregateTypes()) {
      for (let afterId: string | undefined; ;) {
        const page = await this.listAggregates({ aggregateType: type, limit: LIST_PAGE, ...(afterId !== undefined ? { afterId } : {}) });
        for (const a of page) {
          const bySequence = new Map<number, string[]>();
          for (const record of await this.readAggregate(type, a.aggregate_id)) {
            scan.add(type, a.aggregate_id, record.sequence_number);
            const seq = record.sequence_number ?? 0;
            bySequence.set(seq, [...(bySequence.get(seq) ?? []), record.event_id]);
          }
          // Only an aggregate with a repeated or missing number keeps its ids (for the report).
          if ([...bySequence].some(([seq, list]) => seq === 0 || list.length > 1)) ids.set(`${type}\u0000${a.aggregate_id}`, bySequence);
        }
        if (page.length < LIST_PAGE) break;
        afterId = page[page.length - 1]!.aggregate_id;
      }
    }
    const problems = scan.finish().map(({ sequence, group: _group, ...problem }) => {
      const bySequence = ids.get(`${problem.aggregate_type}\u0000${problem.aggregate_id}`);
      const event_ids =
        problem.kind === 'duplicate' && sequence !== null
          ? (bySequence?.get(sequence) ?? [])
          : problem.kind === 'no_sequence'
            ? (bySequence?.get(0) ?? [])
            : [];
      return { ...problem, event_ids };
    });
    return { aggregates: scan.aggregates, problems };
  }

  /** Aggregates with a snapshot in any file, each once. */
  async snapshotKeys(): Promise<{ aggregateType: string; aggregateId: string }[]> {
    const keys = new Map<string, { aggregateType: string; aggregateId: string }>();
    for (const s of this.segments) {
      for (const k of await s.reader.snapshotKeys()) keys.set(`${k.aggregateType}\u0000${k.aggregateId}`, k);
    }
    return [...keys.values()].sort((a, b) => a.aggregateType.localeCompare(b.aggregateType) || a.aggregateId.localeCompare(b.aggregateId));
  }

  saveSnapshot(): void {
    throw new ReadOnlyStoreError('saveSnapshot');
  }

  /** Closes every file, one after another. */
  async close(): Promise<void> {
    for (const s of this.segments) await s.reader.close();
  }
}
