import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCorruptEvent, type StoredEvent } from '../../../src-core/events/types';
import type { CatalystPlugin, ReducerDefinition } from '../../../src-core/plugins/types';
import type { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { openViewer, type OpenedViewer } from '../../../src-desktop/main/open-viewer';
import { dispatchQuery } from '../../../src-desktop/main/query-router';
import { SEED_WRITER_PY, tempDir, writeTradeLog, type TradeIds } from '../fixtures';

/** A small position fold, enough to prove the viewer wires reducers, steps and time travel. */
interface TestPosition {
  status: string;
  current_price: number | null;
  stop_loss: number | null;
  price_history: number[];
}
const positionReducer: ReducerDefinition<TestPosition> = {
  aggregateType: 'position',
  version: 1,
  initialState: () => ({ status: 'unknown', current_price: null, stop_loss: null, price_history: [] }),
  reduce(state, event: StoredEvent) {
    const p = event.payload as Record<string, number>;
    switch (event.event_type) {
      case 'POSITION_OPENED':
        return { ...state, status: 'open', current_price: p.entry_price ?? null, stop_loss: p.stop_loss_price ?? null };
      case 'POSITION_PRICE_UPDATED':
        return { ...state, current_price: p.new_price ?? null, price_history: [...state.price_history, p.new_price ?? 0] };
      case 'POSITION_STOP_LOSS_MODIFIED':
        return { ...state, stop_loss: p.new_stop_loss_price ?? null };
      case 'POSITION_CLOSED':
        return { ...state, status: 'closed', current_price: p.exit_price ?? null };
      default:
        return state;
    }
  },
};
const testPlugin: CatalystPlugin = {
  name: 'test-position',
  version: '0.0.1',
  coreApi: '^1.0.0',
  register(ctx) {
    ctx.reducers.register(positionReducer);
  },
};

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const opened: OpenedViewer[] = [];
async function open(file: string): Promise<OpenedViewer> {
  const viewer = await openViewer({ file, plugins: [testPlugin] });
  opened.push(viewer);
  return viewer;
}
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

describe('viewer service on a file we wrote', () => {
  let file: string;
  let trades: TradeIds[];
  beforeAll(() => {
    file = join(tempDir(), 'events.db');
    trades = writeTradeLog(file, 3);
  });

  it('describes the file and its reducers', async () => {
    const { service } = await open(file);
    const info = await service.info();
    expect(info.fileName).toBe('events.db');
    expect(info.readOnly).toBe(true);
    expect(info.reducerTypes).toEqual(['position']);
    expect(info.plugins).toEqual([{ name: 'test-position', version: '0.0.1' }]);
    expect(info.head).toBe(3 * 16 + 2);
  });

  it('pages the whole log by keyset, newest first and oldest first, without gaps or repeats', async () => {
    const { service } = await open(file);
    for (const direction of ['backward', 'forward'] as const) {
      const seen: number[] = [];
      let after: number | undefined;
      for (let guard = 0; guard < 100; guard++) {
        const page = await service.eventsPage({ filter: {}, limit: 7, direction, ...(after !== undefined ? { after } : {}) });
        seen.push(...page.records.map((r) => r.position));
        if (page.next === null) break;
        after = page.next;
      }
      const sorted = [...seen].sort((a, b) => (direction === 'forward' ? a - b : b - a));
      expect(seen).toEqual(sorted);
      expect(new Set(seen).size).toBe(50);
    }
  });

  it('filters by type, aggregate, correlation, time and payload text', async () => {
    const { service } = await open(file);
    const byType = await service.eventsPage({ filter: { types: ['POSITION_CLOSED', 'ALERT_SKIPPED'] }, limit: 100, direction: 'forward' });
    expect(byType.records.map((r) => r.event_type)).toEqual(['POSITION_CLOSED', 'POSITION_CLOSED', 'POSITION_CLOSED', 'ALERT_SKIPPED']);

    const byAggregate = await service.eventsPage({
      filter: { aggregateType: 'order', aggregateId: trades[1]!.orderId },
      limit: 100,
      direction: 'forward',
    });
    expect(byAggregate.records.map((r) => r.sequence_number)).toEqual([1, 2, 3]);

    const byCorrelation = await service.eventsPage({ filter: { correlationId: trades[2]!.signalId }, limit: 100, direction: 'forward' });
    expect(byCorrelation.records).toHaveLength(16);

    const all = await service.eventsPage({ filter: {}, limit: 100, direction: 'forward' });
    const t0 = all.records[10]!.created_at;
    const t1 = all.records[19]!.created_at;
    const byTime = await service.eventsPage({ filter: { since: t0, until: t1 }, limit: 100, direction: 'forward' });
    expect(byTime.records.every((r) => r.created_at >= t0 && r.created_at <= t1)).toBe(true);
    expect(byTime.records.length).toBeGreaterThanOrEqual(10);

    const byText = await service.eventsPage({ filter: { text: 'biox wins' }, limit: 100, direction: 'forward' });
    expect(byText.records.map((r) => r.event_type)).toEqual(['ALERT_RECEIVED']);
  });

  it('shows an event with its cause, its effects and the size of its story', async () => {
    const { service } = await open(file);
    const page = await service.eventsPage({ filter: { types: ['ORDER_SUBMITTED'] }, limit: 1, direction: 'forward' });
    const submitted = page.records[0]!;
    const detail = (await service.eventDetail({ eventId: submitted.event_id }))!;
    expect(detail.cause?.event_type).toBe('RISK_CHECK_PASSED');
    expect(detail.effects.map((e) => e.event_type)).toEqual(['ORDER_ACCEPTED']);
    expect(detail.correlationSize).toBe(16);
    expect(detail.aggregateVersion).toBe(3);
    expect(detail.replayable).toBe(false);
    expect(await service.eventDetail({ eventId: 'no-such-event' })).toBeNull();
  });

  it('traces a trade from alert to close, by correlation id or from any of its events', async () => {
    const { service } = await open(file);
    const byId = await service.trace({ correlationId: trades[0]!.signalId });
    expect(byId.records.map((r) => r.event_type)[0]).toBe('ALERT_RECEIVED');
    expect(byId.records.map((r) => r.event_type).at(-1)).toBe('POSITION_CLOSED');
    const closed = byId.records.at(-1)!;
    const fromEvent = await service.trace({ eventId: closed.event_id });
    expect(fromEvent.correlationId).toBe(trades[0]!.signalId);
    expect(fromEvent.records.map((r) => r.event_id)).toEqual(byId.records.map((r) => r.event_id));
  });

  it('lists aggregates with their current status from the reducer', async () => {
    const { service } = await open(file);
    const positions = await service.aggregates({ aggregateType: 'position', limit: 50 });
    expect(positions.map((p) => [p.aggregate_id, p.status, p.version])).toEqual(trades.map((t) => [t.positionId, 'closed', 8]));
    const orders = await service.aggregates({ aggregateType: 'order', limit: 50 });
    expect(orders.every((o) => o.status === null && o.last_event_type === 'ORDER_FILLED')).toBe(true);
  });

  it('rebuilds a position at a step and at a time', async () => {
    const { service } = await open(file);
    const id = trades[0]!.positionId;
    const atOpen = await service.rebuild({ aggregateType: 'position', aggregateId: id, asOfSequence: 1 });
    expect(atOpen.state).toMatchObject({ status: 'open', current_price: 10, stop_loss: 9.5 });
    const events = await service.replay({ aggregateType: 'position', aggregateId: id });
    const stopMoved = events.events.find((e) => e.event_type === 'POSITION_STOP_LOSS_MODIFIED')!;
    const atTime = await service.rebuild({ aggregateType: 'position', aggregateId: id, asOfTime: stopMoved.created_at });
    expect(atTime.version).toBe(stopMoved.sequence_number);
    expect(atTime.state).toMatchObject({ stop_loss: 10.3, price_history: [10.2, 10.5, 10.8] });
    const now = await service.rebuild({ aggregateType: 'position', aggregateId: id });
    expect(now.state).toMatchObject({ status: 'closed', current_price: 10.25 });
  });

  it('replays steps with what each event changed', async () => {
    const { service } = await open(file);
    const replay = await service.replay({ aggregateType: 'position', aggregateId: trades[0]!.positionId });
    expect(replay.hasReducer).toBe(true);
    expect(replay.steps).toHaveLength(8);
    expect(replay.initial).toMatchObject({ status: 'unknown' });
    const stop = replay.steps.find((s) => s.event.event_type === 'POSITION_STOP_LOSS_MODIFIED')!;
    expect(stop.changes).toEqual([{ kind: 'changed', path: '$.stop_loss', before: 9.5, after: 10.3 }]);
    const close = replay.steps.at(-1)!;
    expect(close.changes).toContainEqual({ kind: 'changed', path: '$.status', before: 'open', after: 'closed' });

    const noReducer = await service.replay({ aggregateType: 'order', aggregateId: trades[0]!.orderId });
    expect(noReducer.hasReducer).toBe(false);
    expect(noReducer.steps).toEqual([]);
    expect(noReducer.events.map((e) => e.event_type)).toEqual(['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_FILLED']);
  });

  it('builds the P&L series of a position with its stop moves, trigger and close', async () => {
    const { service } = await open(file);
    const pnl = await service.pnlSeries({ positionId: trades[0]!.positionId });
    expect(pnl).toMatchObject({
      ticker: 'ACME',
      side: 'long',
      entryPrice: 10,
      status: 'closed',
      exitReason: 'stop_loss',
      realizedPnl: 25,
      correlationId: trades[0]!.signalId,
    });
    expect(pnl.points.map((p) => p.price)).toEqual([10, 10.2, 10.5, 10.8, 10.8, 10.25, 10.25, 10.25]);
    // The ledger's unrealized (issue 17): the line runs through the exit fill instead of ending before it.
    expect(pnl.points.map((p) => (p.unrealizedPnl === null ? null : Math.round(p.unrealizedPnl * 100) / 100))).toEqual([
      0, 20, 50, 80, 80, 25, 25, 25,
    ]);
    expect(pnl.points.map((p) => p.stopLoss)).toEqual([9.5, 9.5, 9.5, 9.5, 10.3, 10.3, 10.3, 10.3]);
    expect(pnl.markers.map((m) => m.kind)).toEqual(['opened', 'stop_moved', 'stop_triggered', 'closed']);
    expect(pnl.markers[1]!.label).toBe('9.50 → 10.30');
  });

  it('counts by type and aggregate', async () => {
    const { service } = await open(file);
    const stats = await service.stats();
    expect(stats.total).toBe(50);
    expect(stats.byType.POSITION_PRICE_UPDATED).toBe(12);
    expect(stats.byAggregateType).toMatchObject({ alert: 11, position: 24, order: 9, signal: 3 });
    expect(stats.corrupt).toBe(0);
  });

  it('exports the current filter as CSV and NDJSON', async () => {
    const { service } = await open(file);
    const progress = { count: 0 };
    let csv = '';
    for await (const chunk of service.exportChunks({ types: ['POSITION_CLOSED'] }, 'csv', progress)) csv += chunk;
    const lines = csv.trimEnd().split('\r\n');
    expect(progress.count).toBe(3);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'position,event_id,event_type,aggregate_type,aggregate_id,sequence_number,created_at,created_at_iso,correlation_id,causation_id,source,payload,corrupt',
    );
    expect(lines[1]).toContain(',POSITION_CLOSED,position,position-1,8,');
    expect(lines[1]).toContain('"{""position_id"":""position-1""');
    let ndjson = '';
    for await (const chunk of service.exportChunks({ aggregateId: trades[1]!.orderId }, 'ndjson')) ndjson += chunk;
    const rows = ndjson
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as StoredEvent);
    expect(rows.map((r) => r.event_type)).toEqual(['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_FILLED']);
    expect(rows[0]!.payload).toMatchObject({ quantity: 100, order_type: 'market' });
  });

  it('never writes the file: bytes unchanged and no journal files appear', async () => {
    const before = sha(file);
    const filesBefore = readdirSync(join(file, '..')).sort();
    const { service, store: opened } = await open(file);
    if (!opened) throw new Error('expected a SQLite store');
    const store = opened as SqliteEventStore; // the raw handle, to prove query_only holds under it
    await service.eventsPage({ filter: { text: 'x' }, limit: 10, direction: 'backward' });
    await service.aggregates({ limit: 100 });
    await service.replay({ aggregateType: 'position', aggregateId: trades[0]!.positionId });
    await service.rebuild({ aggregateType: 'position', aggregateId: trades[0]!.positionId });
    await service.corruptRows({ limit: 10 });
    // query_only holds even for raw SQL on the viewer's own handle.
    expect(() => store.connection.exec("INSERT INTO catalyst_meta(key, value) VALUES ('x', 'y')")).toThrow(/readonly|query_only/i);
    expect(sha(file)).toBe(before);
    expect(readdirSync(join(file, '..')).sort()).toEqual(filesBefore);
  });
});

describe('viewer service with the built-in plugins (the default)', () => {
  let file: string;
  let trades: TradeIds[];
  beforeAll(() => {
    file = join(tempDir(), 'events.db');
    trades = writeTradeLog(file, 2);
  });

  it("loads order, position, alert and risk, and shows their reducers' statuses", async () => {
    const viewer = await openViewer({ file });
    opened.push(viewer);
    const info = await viewer.service.info();
    expect(info.plugins.map((p) => p.name).sort()).toEqual(['alert', 'order', 'position', 'risk']);
    const orders = await viewer.service.aggregates({ aggregateType: 'order', limit: 10 });
    expect(orders.map((o) => o.status)).toEqual(['filled', 'filled']);
    const positions = await viewer.service.aggregates({ aggregateType: 'position', limit: 10 });
    expect(positions.map((p) => p.status)).toEqual(['closed', 'closed']);
    const replay = await viewer.service.replay({ aggregateType: 'position', aggregateId: trades[1]!.positionId });
    expect(replay.steps).toHaveLength(8);
    expect(replay.steps.at(-1)!.changes).toContainEqual(expect.objectContaining({ path: '$.status', before: 'open', after: 'closed' }));
    const atStop = await viewer.service.rebuild({ aggregateType: 'position', aggregateId: trades[1]!.positionId, asOfSequence: 5 });
    expect(atStop.state).toMatchObject({ status: 'open', stop_loss: 10.3 });
  });
});

describe('viewer service on a seed-written file (python3, the seed SQL) with a corrupt row', () => {
  let file: string;
  beforeAll(() => {
    const dir = tempDir();
    file = join(dir, 'seed.db');
    const script = join(dir, 'seed_writer.py');
    writeFileSync(script, SEED_WRITER_PY);
    execFileSync('python3', [script, file]);
  });

  it('opens it read-only without migrating it', async () => {
    const before = sha(file);
    const { service } = await open(file);
    const info = await service.info();
    expect(info.head).toBe(7);
    expect(sha(file)).toBe(before);
    const tables = new Database(file, { readonly: true })
      .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['event_log', 'event_snapshots']);
  });

  it('flags the corrupt row in pages, stats and the corrupt-row list, and keeps the good ones', async () => {
    const { service } = await open(file);
    const page = await service.eventsPage({ filter: {}, limit: 50, direction: 'backward' });
    expect(page.records).toHaveLength(7);
    const bad = page.records[0]!;
    expect(isCorruptEvent(bad)).toBe(true);
    expect(bad).toMatchObject({ event_id: 'bad-row-1', field: 'payload', raw_payload: '{not json' });
    expect((await service.stats()).corrupt).toBe(1);
    const corrupt = await service.corruptRows({ limit: 10 });
    expect(corrupt.records.map((r) => r.event_id)).toEqual(['bad-row-1']);
    expect(corrupt.next).toBeNull();
    const detail = await service.eventDetail({ eventId: 'bad-row-1' });
    expect(detail?.record).toMatchObject({ corrupt: true });
    expect(detail?.correlationSize).toBe(0);
    let csv = '';
    for await (const chunk of service.exportChunks({ aggregateType: 'order' }, 'csv')) csv += chunk;
    expect(csv).toContain('{not json');
    expect(csv).toContain('payload: ');
  });

  it("gives the seed position's P&L series and its replay", async () => {
    const { service } = await open(file);
    const pnl = await service.pnlSeries({ positionId: 'pos_123' });
    expect(pnl.points.map((p) => p.price)).toEqual([150, 151, 152.5, 149, 146, 145]);
    expect(pnl.points.map((p) => p.unrealizedPnl)).toEqual([0, 100, 250, -100, -400, -500]);
    expect(pnl).toMatchObject({ status: 'closed', realizedPnl: -500, exitReason: 'stop_loss', ticker: 'AAPL' });
    const replay = await service.replay({ aggregateType: 'position', aggregateId: 'pos_123' });
    expect(replay.steps.map((s) => s.event.sequence_number)).toEqual([1, 2, 3, 4, 5, 6]);
    const state = await service.rebuild({ aggregateType: 'position', aggregateId: 'pos_123', asOfSequence: 3 });
    expect(state.state).toMatchObject({ current_price: 152.5, price_history: [151, 152.5] });
  });
});

describe('query arguments are validated', () => {
  let file: string;
  beforeAll(() => {
    file = join(tempDir(), 'events.db');
    writeTradeLog(file, 1);
  });

  it.each([
    ['eventsPage', { filter: {}, limit: 0, direction: 'forward' }, 'limit'],
    ['eventsPage', { filter: { nope: 1 }, limit: 10 }, 'filter'],
    ['eventsPage', { filter: {}, limit: 10, after: -1 }, 'after'],
    ['eventDetail', { eventId: '' }, 'eventId'],
    ['eventDetail', { eventId: 42 }, 'eventId'],
    ['rebuild', { aggregateType: 'position', aggregateId: 'x', asOfSequence: 1, asOfTime: 5 }, 'not both'],
    ['trace', {}, 'exactly one'],
    ['corruptRows', { limit: 100_000 }, 'limit'],
    ['dropTables', {}, 'unknown query'],
  ])('%s(%j) is refused naming %s', async (method, args, expected) => {
    const { service } = await open(file);
    const result = await dispatchQuery(service, method, args);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('BAD_QUERY');
      expect(result.error.message).toContain(expected);
    }
  });

  it('passes valid arguments through, applying defaults', async () => {
    const { service } = await open(file);
    const result = await dispatchQuery(service, 'eventsPage', { limit: 2 });
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.value as { records: unknown[] }).records).toHaveLength(2);
  });

  it('reports an unknown aggregate type as a typed error', async () => {
    const { service } = await open(file);
    const result = await dispatchQuery(service, 'rebuild', { aggregateType: 'nope', aggregateId: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TYPE' } });
  });
});

describe('a missing file', () => {
  it('is a StoreOpenError, and nothing is created', async () => {
    const file = join(tempDir(), 'missing.db');
    await expect(openViewer({ file, plugins: [] })).rejects.toMatchObject({ code: 'STORE_OPEN' });
    expect(existsSync(file)).toBe(false);
  });
});
