import type { EventRecord } from '../../events/types';
import { isCorruptEvent } from '../../events/types';
import type { EventReader } from '../../store/types';
import { CliUsageError } from '../errors';

export type TraceResolution = 'event' | 'correlation' | 'aggregate';

export interface ResolvedTrace {
  query: string;
  resolvedAs: TraceResolution;
  correlationIds: string[];
  /** The event asked for (an event id query). */
  focus: string | null;
  records: EventRecord[];
  /** Descendant scan stopped at its bound: the tree may miss later events. */
  truncated: boolean;
}

/** How far past an uncorrelated event to look for the events it caused. */
export const DESCENDANT_SCAN_LIMIT = 100_000;
const PAGE = 1000;

function correlationOf(record: EventRecord): string | null {
  if (isCorruptEvent(record)) return null;
  const id = record.metadata.correlation_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

async function byCorrelations(reader: EventReader, ids: Iterable<string>, extra: EventRecord[] = []): Promise<EventRecord[]> {
  const byId = new Map<string, EventRecord>();
  for (const id of ids) for (const record of await reader.readByCorrelation(id)) byId.set(record.event_id, record);
  for (const record of extra) if (!byId.has(record.event_id)) byId.set(record.event_id, record);
  return [...byId.values()].sort((a, b) => a.position - b.position);
}

/** Events after `root` whose causation chain leads back to it (causes precede effects in the log). */
async function descendants(reader: EventReader, root: EventRecord): Promise<{ records: EventRecord[]; truncated: boolean }> {
  const inTree = new Set([root.event_id]);
  const records = [root];
  let after = root.position;
  let scanned = 0;
  for (;;) {
    const page = await reader.readPage({}, { after, limit: PAGE, direction: 'forward' });
    for (const record of page.records) {
      const cause = isCorruptEvent(record) ? null : record.metadata.causation_id;
      if (typeof cause === 'string' && inTree.has(cause)) {
        inTree.add(record.event_id);
        records.push(record);
      }
    }
    scanned += page.records.length;
    if (page.next === null) return { records, truncated: false };
    if (scanned >= DESCENDANT_SCAN_LIMIT) return { records, truncated: true };
    after = page.next;
  }
}

async function aggregateEvents(reader: EventReader, aggregateId: string, aggregateType?: string): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await reader.readPage(
      { aggregateId, ...(aggregateType !== undefined ? { aggregateType } : {}) },
      { ...(after !== undefined ? { after } : {}), limit: PAGE, direction: 'forward' },
    );
    out.push(...page.records);
    if (page.next === null) return out;
    after = page.next;
  }
}

/**
 * What `trace ID` means, tried in order:
 * 1. an event id: its correlation group; an event without a correlation id brings the
 *    events it caused (directly or through others) instead;
 * 2. a correlation id: every event carrying it;
 * 3. an aggregate id, of any type (or `TYPE:ID`): every correlation group its events belong
 *    to, plus its own uncorrelated events. Nothing found: a usage error (exit 2).
 */
export async function resolveTrace(reader: EventReader, query: string): Promise<ResolvedTrace> {
  const event = await reader.getEvent(query);
  if (event) {
    const correlation = correlationOf(event);
    if (correlation !== null) {
      return {
        query,
        resolvedAs: 'event',
        correlationIds: [correlation],
        focus: event.event_id,
        records: await byCorrelations(reader, [correlation], [event]),
        truncated: false,
      };
    }
    const found = await descendants(reader, event);
    return { query, resolvedAs: 'event', correlationIds: [], focus: event.event_id, records: found.records, truncated: found.truncated };
  }
  const correlated = await reader.readByCorrelation(query);
  if (correlated.length > 0) {
    return { query, resolvedAs: 'correlation', correlationIds: [query], focus: null, records: correlated, truncated: false };
  }
  let own = await aggregateEvents(reader, query);
  const colon = query.indexOf(':');
  if (own.length === 0 && colon > 0) own = await aggregateEvents(reader, query.slice(colon + 1), query.slice(0, colon));
  if (own.length > 0) {
    const ids = [...new Set(own.map(correlationOf).filter((id): id is string => id !== null))];
    return {
      query,
      resolvedAs: 'aggregate',
      correlationIds: ids,
      focus: null,
      records: await byCorrelations(reader, ids, own),
      truncated: false,
    };
  }
  throw new CliUsageError(`'${query}' is not an event id, a correlation id or an aggregate id in this log`);
}
