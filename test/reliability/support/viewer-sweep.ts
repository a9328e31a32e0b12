import type { OpenedViewer } from '../../../src-desktop/main/open-viewer';
import { dispatchQuery } from '../../../src-desktop/main/query-router';
import type { AggregateRow, CorruptPage, EventsPage } from '../../../src-desktop/shared/api';
import type { EventRecord } from '../../../src-core/events/types';

export interface SweepResult {
  /** Every record, paged forward with a small keyset page. */
  records: EventRecord[];
  /** The same log paged backward (the viewer's default), newest first. */
  backward: EventRecord[];
  corruptIds: string[];
  /** Every query that came back ok:false, as `method args -> code: message`. */
  failures: string[];
  queries: number;
  exportedNdjson: number;
  exportedCsvRows: number;
}

/**
 * Asks the viewer service every question its UI can ask about every row, aggregate,
 * position and correlation in the log, through the same dispatcher IPC and HTTP use.
 */
export async function sweepViewer(
  viewer: OpenedViewer,
  allowed: (method: string, args: unknown, code: string) => boolean = () => false,
): Promise<SweepResult> {
  const failures: string[] = [];
  let queries = 0;
  const ask = async <T>(method: string, args: unknown): Promise<T | null> => {
    queries++;
    const result = await dispatchQuery(viewer.service, method, args);
    if (result.ok) return result.value as T;
    if (!allowed(method, args, result.error.code))
      failures.push(`${method} ${JSON.stringify(args)} -> ${result.error.code}: ${result.error.message}`);
    return null;
  };
  const page = async (direction: 'forward' | 'backward') => {
    const out: EventRecord[] = [];
    let after: number | undefined;
    for (;;) {
      const p = await ask<EventsPage>('eventsPage', { limit: 7, direction, ...(after !== undefined ? { after } : {}) });
      if (!p) break;
      out.push(...p.records);
      if (p.next === null) break;
      after = p.next;
    }
    return out;
  };
  const records = await page('forward');
  const backward = await page('backward');
  await ask('info', {});
  await ask('stats', {});
  const corruptIds: string[] = [];
  let after: number | undefined;
  for (;;) {
    const p = await ask<CorruptPage>('corruptRows', { limit: 3, ...(after !== undefined ? { after } : {}) });
    if (!p) break;
    corruptIds.push(...p.records.map((r) => r.event_id));
    if (p.next === null) break;
    after = p.next;
  }
  for (const r of records) {
    await ask('eventDetail', { eventId: r.event_id });
    await ask('trace', { eventId: r.event_id });
  }
  const aggregates = (await ask<AggregateRow[]>('aggregates', { limit: 500 })) ?? [];
  for (const a of aggregates) {
    const key = { aggregateType: a.aggregate_type, aggregateId: a.aggregate_id };
    await ask('rebuild', key);
    await ask('rebuild', { ...key, asOfSequence: 1 });
    await ask('replay', key);
    if (a.aggregate_type === 'position') await ask('pnlSeries', { positionId: a.aggregate_id });
  }
  const correlations = new Set(
    records.flatMap((r) => ('metadata' in r && typeof r.metadata.correlation_id === 'string' ? [r.metadata.correlation_id] : [])),
  );
  for (const c of correlations) await ask('trace', { correlationId: c });
  let exportedNdjson = 0;
  for await (const chunk of viewer.service.exportChunks({}, 'ndjson')) exportedNdjson += chunk.split('\n').filter(Boolean).length;
  let csvLines = 0;
  for await (const chunk of viewer.service.exportChunks({}, 'csv')) csvLines += chunk.split('\n').filter(Boolean).length;
  return { records, backward, corruptIds, failures, queries, exportedNdjson, exportedCsvRows: Math.max(0, csvLines - 1) };
}
