import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { openViewer, type OpenedViewer } from '../../../src-desktop/main/open-viewer';
import { loadBook, loadDecisions, loadReport, loadTrades, TimeZone } from '../../../src-plugins/analytics';
import { paperSession, tempDir } from './paper-session';
import { showPosition } from './show-position';

/**
 * The viewer's analytics queries on a 20-day paper session: they answer what the analytics
 * module (the CLI's `trades`, `report`, `book`) answers, and the P&L page equals
 * `show position --json` for every position.
 */

let file: string;
let viewer: OpenedViewer;
let reader: SqliteEventStore;

beforeAll(async () => {
  file = await paperSession(20, 5);
  viewer = await openViewer({ file });
  reader = SqliteEventStore.open({ file, readOnly: true });
}, 180_000);

afterAll(async () => {
  await viewer?.close();
  reader?.close();
});

describe('the P&L page on a 20-day paper session', () => {
  it('equals show position --json for every position: entry, exit, realized, status, hold', async () => {
    const db = new Database(file, { readonly: true });
    const ids = db.prepare(`SELECT DISTINCT aggregate_id AS id FROM event_log WHERE aggregate_type = 'position' ORDER BY id`).all() as {
      id: string;
    }[];
    const lastAt = (db.prepare('SELECT MAX(created_at) AS t FROM event_log').get() as { t: number }).t;
    db.close();
    expect(ids.length).toBeGreaterThan(40);
    let open = 0;
    let scaled = 0;
    for (const { id } of ids) {
      const state = await showPosition(file, id);
      const page = await viewer.service.pnlSeries({ positionId: id });
      expect(page.found, id).toBe(true);
      const f = page.pnl;
      expect(f.entry_price, `${id} entry`).toBeCloseTo(state.entry_price as number, 9);
      expect(f.exit_price, `${id} exit`).toBe(state.exit_price);
      expect(f.realized_pnl, `${id} realized`).toBeCloseTo(state.realized_pnl as number, 6);
      expect(f.status, `${id} status`).toBe(state.status);
      if (state.status === 'closed') {
        expect(f.hold_seconds, `${id} hold`).toBe(state.hold_duration_seconds);
      } else {
        open += 1;
        // Open: held from its opening to the log's last event (show has no hold yet).
        expect(f.hold_seconds, `${id} hold`).toBe((lastAt - (state.opened_at as number)) / 1000);
      }
      const fills = (state.fills as unknown[] | undefined)?.length ?? 0;
      if (fills > 2) scaled += 1;
      // The unrealized line covers every fill: best >= worst, and the chart has a point per fill.
      expect(f.best_unrealized_pnl!).toBeGreaterThanOrEqual(f.worst_unrealized_pnl!);
      expect(page.markers.filter((m) => ['opened', 'increased', 'reduced', 'closed'].includes(m.kind)).length, `${id} fills`).toBe(fills);
    }
    expect(open).toBeGreaterThan(0);
    expect(scaled).toBeGreaterThan(10);
  }, 300_000);

  it('gets s5-pos-0017 right: scaled in to 8,871 shares, closed in parts', async () => {
    const page = await viewer.service.pnlSeries({ positionId: 's5-pos-0017' });
    expect(page.pnl.peak_quantity).toBe(8871);
    expect(page.pnl.entry_price).toBeCloseTo(0.9927, 4);
    expect(page.pnl.realized_pnl).toBeCloseTo(-508.42, 2);
    // Worst unrealized is what the line reached, never less than what was realized before fees.
    expect(page.pnl.worst_unrealized_pnl!).toBeGreaterThan(page.pnl.realized_pnl);
    expect(page.markers.filter((m) => m.kind === 'increased').length).toBeGreaterThan(0);
    expect(page.markers.filter((m) => m.kind === 'reduced').length).toBeGreaterThan(0);
  });

  it('says not found for an id the log does not hold', async () => {
    const page = await viewer.service.pnlSeries({ positionId: 'no-such-position' });
    expect(page.found).toBe(false);
    expect(page.points).toEqual([]);
  });
});

describe('the analytics queries answer what the analytics module answers', () => {
  it('trades, with filters and sort, equal loadTrades', async () => {
    const query = { tickers: ['MDTX'], outcome: 'lost' as const, sort: 'net_pnl' as const };
    const view = await viewer.service.trades(query);
    const direct = await loadTrades(reader, query);
    expect(view.rows).toEqual(direct);
    expect(view.rows.length).toBeGreaterThan(0);
    expect(view.rows.every((r) => r.ticker === 'MDTX' && r.net_pnl < 0)).toBe(true);
    expect(view.tickers).toEqual(['ARKO', 'BIOX', 'MDTX', 'QNTM', 'SOLR']);
    await expect(viewer.service.trades({ tickers: ['NOPE'] })).rejects.toMatchObject({ code: 'NOT_IN_LOG' });
  });

  it('the report equals loadReport, in UTC and in New York', async () => {
    expect(await viewer.service.report({})).toEqual(await loadReport(reader));
    const ny = await viewer.service.report({ zone: 'America/New_York' });
    expect(ny).toEqual(await loadReport(reader, { dayZone: TimeZone.of('America/New_York') }));
    expect(ny.day_zone).toBe('America/New_York');
    await expect(viewer.service.report({ zone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'UNKNOWN_TIME_ZONE' });
  });

  it('the book as of a time equals loadBook', async () => {
    const at = Date.parse('2025-03-05T17:30:00Z');
    const view = await viewer.service.book({ asOf: at });
    expect(view.book).toEqual(await loadBook(reader, at));
    expect(view.book.positions.map((p) => p.position_id)).toEqual(['s5-pos-0017']);
    expect(view.firstAt).toBe('2025-03-03T14:35:00.000Z');
  });

  it('decisions and what-if equal loadDecisions; the events behind a count are those events', async () => {
    const view = await viewer.service.decisions({ threshold: 0.7 });
    const direct = await loadDecisions(reader, { threshold: 0.7 });
    expect(view.whatIf).toEqual(direct.what_if);
    const counts = (t: Record<string, { count: number }>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.count]));
    expect(counts(view.decisions.by_skip_reason)).toEqual(counts(direct.decisions.by_skip_reason));
    expect(view.decisions.by_skip_reason.rate_limited!.count).toBe(151);
    const page = await viewer.service.decisionEvents({ section: 'by_skip_reason', key: 'rate_limited', offset: 0, limit: 200 });
    expect(page.total).toBe(151);
    expect(page.records).toHaveLength(151);
    expect(new Set(page.records.map((r) => r.event_type))).toEqual(new Set(['ALERT_SKIPPED']));
    const halted = await viewer.service.decisionEvents({ section: 'rejections', key: 'halted', offset: 0, limit: 50 });
    expect(halted.total).toBe(15);
    expect(halted.records.every((r) => !('corrupt' in r) && r.payload.reject_reason === 'halted')).toBe(true);
  });
});

describe('the events browser at scale', () => {
  it('finds every event of a ticker, fills and price updates included, and counts them exactly', async () => {
    // Independently: the aggregates whose events name the ticker, then all their events.
    const db = new Database(file, { readonly: true });
    const expected = (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM event_log e WHERE json_extract(e.payload, '$.ticker') = 'MDTX'
             OR (e.aggregate_type IN ('position', 'order', 'signal', 'alert') AND EXISTS (
               SELECT 1 FROM event_log t WHERE t.aggregate_type = e.aggregate_type AND t.aggregate_id = e.aggregate_id AND json_extract(t.payload, '$.ticker') = 'MDTX'))`,
        )
        .get() as { n: number }
    ).n;
    const fills = (
      db
        .prepare(`SELECT COUNT(*) AS n FROM event_log e WHERE event_type = 'ORDER_FILLED' AND json_extract(payload, '$.ticker') IS NULL`)
        .get() as { n: number }
    ).n;
    db.close();
    expect(fills).toBeGreaterThan(0); // the fills name no ticker: only their aggregate does
    const count = await viewer.service.eventsCount({ filter: { ticker: 'MDTX', excludeTypes: [] } });
    // Risk checks name their subject (a signal or order): those of MDTX's signals count too.
    expect(count.exact).toBe(true);
    expect(count.count).toBeGreaterThanOrEqual(expected);
    const seen: string[] = [];
    let after: number | undefined;
    for (;;) {
      const page = await viewer.service.eventsPage({
        filter: { ticker: 'MDTX' },
        limit: 500,
        direction: 'forward',
        ...(after !== undefined ? { after } : {}),
      });
      seen.push(...page.records.map((r) => r.event_type));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen).toHaveLength(count.count);
    expect(seen).toContain('ORDER_FILLED');
    expect(seen).toContain('POSITION_PRICE_UPDATED');
    // The export of that filter is the same events.
    let ndjson = '';
    for await (const chunk of viewer.service.exportChunks({ ticker: 'MDTX', excludeTypes: ['POSITION_PRICE_UPDATED'] }, 'ndjson'))
      ndjson += chunk;
    const exported = ndjson
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event_type: string }).event_type);
    expect(exported).toHaveLength(seen.filter((t) => t !== 'POSITION_PRICE_UPDATED').length);
    expect(exported).not.toContain('POSITION_PRICE_UPDATED');
  });

  it('hides an event type and counts what is left exactly', async () => {
    const stats = await viewer.service.stats();
    const count = await viewer.service.eventsCount({ filter: { excludeTypes: ['POSITION_PRICE_UPDATED'] } });
    expect(count).toEqual({ count: stats.total - stats.byType.POSITION_PRICE_UPDATED!, exact: true });
    const page = await viewer.service.eventsPage({
      filter: { excludeTypes: ['POSITION_PRICE_UPDATED'] },
      limit: 1000,
      direction: 'backward',
    });
    expect(page.records.some((r) => r.event_type === 'POSITION_PRICE_UPDATED')).toBe(false);
  });

  it('pages a replay: a window in the middle has the same steps and diffs as the whole replay', async () => {
    const whole = await viewer.service.replay({ aggregateType: 'risk', aggregateId: 's5-risk' });
    const window = await viewer.service.replayPage({ aggregateType: 'risk', aggregateId: 's5-risk', from: 300, limit: 50 });
    expect(window.total).toBe(whole.steps.length);
    expect(window.steps.map((s) => s.index)).toEqual(whole.steps.slice(300, 350).map((s) => s.index));
    expect(window.steps.map((s) => s.changes)).toEqual(whole.steps.slice(300, 350).map((s) => s.changes));
    const end = await viewer.service.replayPage({
      aggregateType: 'risk',
      aggregateId: 's5-risk',
      from: Number.MAX_SAFE_INTEGER,
      limit: 200,
    });
    expect(end.steps.at(-1)!.index).toBe(whole.steps.length - 1);
    const none = await viewer.service.replayPage({ aggregateType: 'position', aggregateId: 'nope', from: 0, limit: 200 });
    expect(none).toMatchObject({ total: 0, steps: [] });
  });
});

describe('an empty log', () => {
  it('answers every analytics query with empty results, not an error', async () => {
    const empty = `${tempDir()}/empty.db`;
    SqliteEventStore.open({ file: empty }).close();
    const v = await openViewer({ file: empty });
    try {
      expect(await v.service.trades({})).toMatchObject({ rows: [], total: 0 });
      expect(await v.service.report({})).toMatchObject({ trades: 0, equity_curve: [] });
      expect((await v.service.book({})).book.positions).toEqual([]);
      expect((await v.service.decisions({})).decisions.alerts).toBe(0);
      expect(await v.service.eventsCount({ filter: {} })).toEqual({ count: 0, exact: true });
    } finally {
      await v.close();
    }
  });
});
