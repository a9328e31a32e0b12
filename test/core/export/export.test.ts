/**
 * Export for analysis: a paper session written as one Parquet (and CSV) table per event type,
 * read back by an independent reader (DuckDB) with the same rows and column types.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalystReader, type CatalystReader, type StoredEvent } from '../../../src-core';
import { exportLog, type ExportResult } from '../../../src-core/export/export-log';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { BUILTIN_PLUGINS } from '../../../src-desktop/main/builtin-plugins';
import { tempDir } from '../../support/temp';
import { runBin } from '../cli/support/run-bin';
import { writePaperSession } from './paper-session';

async function allEvents(store: SqliteEventStore): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let after: number | undefined; ;) {
    const page = await store.readPage({}, { limit: 1000, ...(after !== undefined ? { after } : {}) });
    out.push(...(page.records as StoredEvent[]));
    if (page.next === null) return out;
    after = page.next;
  }
}

describe('export a paper session', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  let session: CatalystReader;
  let events: StoredEvent[];
  let parquet: ExportResult;
  let csv: ExportResult;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    tmp = tempDir('export-');
    const db = tmp.file('paper.db');
    writePaperSession(db, 2);
    store = SqliteEventStore.open({ file: db, readOnly: true });
    session = await openCatalystReader({ db }, { store, plugins: BUILTIN_PLUGINS });
    events = await allEvents(store);
    // Small batches: several row groups per table, as a large export writes them.
    parquet = await exportLog({ reader: store, schemas: session.schemas, format: 'parquet', outDir: tmp.file('parquet'), batchSize: 16 });
    csv = await exportLog({ reader: store, schemas: session.schemas, format: 'csv', outDir: tmp.file('csv'), batchSize: 16 });
    duck = await (await DuckDBInstance.create(':memory:')).connect();
  }, 120_000);

  afterAll(async () => {
    duck?.closeSync();
    await session?.close();
    store?.close();
    tmp?.cleanup();
  });

  async function rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await duck.runAndReadAll(sql)).getRowObjectsJS();
  }

  async function columnTypes(file: string): Promise<Record<string, string>> {
    const described = await rows(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    return Object.fromEntries(described.map((r) => [String(r.column_name), String(r.column_type)]));
  }

  it('writes one table per event type, every event once', async () => {
    const types = [...new Set(events.map((e) => e.event_type))].sort();
    expect(parquet.tables.map((t) => t.eventType)).toEqual(types);
    expect(parquet.events).toBe(events.length);
    expect(events.length).toBeGreaterThan(300);
    const [{ n }] = (await rows(
      `SELECT COUNT(*)::INTEGER AS n FROM read_parquet('${join(tmp.file('parquet'), '*.parquet')}', union_by_name = true)`,
    )) as [{ n: number }];
    expect(n).toBe(events.length);
  });

  it('DuckDB reads the envelope and the payload as typed columns', async () => {
    const table = parquet.tables.find((t) => t.eventType === 'ORDER_FILLED')!;
    const types = await columnTypes(table.file);
    expect(types).toMatchObject({
      position: 'BIGINT',
      event_id: 'VARCHAR',
      aggregate_id: 'VARCHAR',
      sequence_number: 'BIGINT',
      created_at: 'TIMESTAMP WITH TIME ZONE',
      correlation_id: 'VARCHAR',
      causation_id: 'VARCHAR',
      order_id: 'VARCHAR',
      filled_price: 'DOUBLE',
      commission: 'DOUBLE',
      fill_time: 'TIMESTAMP WITH TIME ZONE',
      payload_extra: 'VARCHAR',
    });
    expect(['BIGINT', 'DOUBLE']).toContain(types.filled_quantity);
  });

  it('every row of every table equals the stored event', async () => {
    for (const table of parquet.tables) {
      const stored = events.filter((e) => e.event_type === table.eventType);
      const read = await rows(
        `SELECT position, event_id, aggregate_type, aggregate_id, sequence_number, epoch_ms(created_at) AS created_ms,
                correlation_id, causation_id, payload_extra, * EXCLUDE (position, event_id, aggregate_type, aggregate_id, sequence_number, created_at, correlation_id, causation_id, payload_extra)
         FROM read_parquet('${table.file}') ORDER BY position`,
      );
      expect(read.length).toBe(stored.length);
      read.forEach((row, i) => {
        const e = stored[i]!;
        expect(Number(row.position)).toBe(e.position);
        expect(row.event_id).toBe(e.event_id);
        expect(row.aggregate_id).toBe(e.aggregate_id);
        expect(Number(row.sequence_number)).toBe(e.sequence_number);
        expect(Number(row.created_ms)).toBe(e.created_at);
        expect(row.correlation_id).toBe(e.metadata.correlation_id);
        expect(row.causation_id).toBe(e.metadata.causation_id);
        // Each payload key: in its typed column (numbers as numbers) or in payload_extra.
        const extra = row.payload_extra === null ? {} : (JSON.parse(row.payload_extra as string) as Record<string, unknown>);
        for (const [key, value] of Object.entries(e.payload)) {
          const column = [
            'position',
            'event_id',
            'event_type',
            'aggregate_type',
            'aggregate_id',
            'sequence_number',
            'created_at',
            'source',
            'correlation_id',
            'causation_id',
            'user_id',
            'schema_version',
          ].includes(key)
            ? `payload_${key}`
            : key;
          if (key in extra) {
            expect(extra[key]).toEqual(value);
          } else if (value === null || value === undefined) {
            expect(row[column] ?? null).toBeNull();
          } else if (typeof value === 'number') {
            expect(Number(row[column])).toBeCloseTo(value, 9);
          } else if (typeof value === 'object') {
            expect(JSON.parse(String(row[column]))).toEqual(value);
          } else if (typeof value === 'string' && row[column] instanceof Date) {
            expect(row[column].getTime()).toBe(Date.parse(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`));
          } else {
            expect(row[column]).toBe(value);
          }
        }
      });
    }
  });

  it('the CLI: export --type … --out DIR writes the tables asked for; a bad format is exit 2', async () => {
    const db = tmp.file('paper.db');
    const result = await runBin([
      'export',
      '--db',
      db,
      '--format',
      'parquet',
      '--type',
      'ORDER_FILLED,POSITION_CLOSED',
      '--out',
      tmp.file('cli'),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const written = JSON.parse(result.stdout) as { tables: { eventType: string; file: string; rows: number }[] };
    expect(written.tables.map((t) => t.eventType)).toEqual(['ORDER_FILLED', 'POSITION_CLOSED']);
    for (const t of written.tables) {
      const [{ n }] = (await rows(`SELECT COUNT(*)::INTEGER AS n FROM read_parquet('${t.file}')`)) as [{ n: number }];
      expect(n).toBe(events.filter((e) => e.event_type === t.eventType).length);
    }
    const bad = await runBin(['export', '--db', db, '--format', 'xlsx', '--out', tmp.file('bad')]);
    expect(bad.code).toBe(2);
  }, 60_000);

  it('CSV: the same rows, times as ISO 8601, readable by DuckDB with its types inferred', async () => {
    expect(csv.events).toBe(events.length);
    const table = csv.tables.find((t) => t.eventType === 'POSITION_CLOSED')!;
    const header = readFileSync(table.file, 'utf8').split('\r\n')[0]!;
    expect(header.startsWith('position,event_id,event_type,aggregate_type,aggregate_id,sequence_number,created_at,')).toBe(true);
    const read = await rows(`SELECT event_id, created_at, realized_pnl FROM read_csv('${table.file}') ORDER BY position`);
    const stored = events.filter((e) => e.event_type === 'POSITION_CLOSED');
    expect(read.map((r) => r.event_id)).toEqual(stored.map((e) => e.event_id));
    expect(read.map((r) => (r.created_at as Date).getTime())).toEqual(stored.map((e) => e.created_at));
    read.forEach((r, i) => expect(Number(r.realized_pnl)).toBeCloseTo(Number(stored[i]!.payload.realized_pnl), 9));
  });
});
