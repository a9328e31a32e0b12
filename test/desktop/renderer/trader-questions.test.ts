import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { startServedViewer, type ServedViewer } from '../../../src-desktop/serve/start-served-viewer';
import { formatMoney, loadBook, loadDecisions, loadReport, loadTrades } from '../../../src-plugins/analytics';
import Database from 'better-sqlite3';
import { formatHold, formatTick } from '../../../src-desktop/renderer/display';
import { paperSession, tempDir } from '../main/paper-session';
import { showPosition } from '../main/show-position';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/chromium';

/**
 * The trader's questions (issue 17), each asked through the UI in Debian's Chromium against
 * the served viewer on a 20-day paper session, and checked against the analytics module
 * called directly on the same file. Screenshots of each tab go to /work/screens/<tab>.png.
 */
const root = join(import.meta.dirname, '../../..');
const SCREENS = '/work/screens';

let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  const path = join(tempDir('catalyst-shot-'), `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  copyFileSync(path, join(SCREENS, `${name}.png`));
}

beforeAll(async () => {
  context = await chromium.launchPersistentContext(tempDir('catalyst-chromium-'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A refused query answers with an HTTP error status, which Chromium logs: that is the test's intent, not a fault.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:')) problems.push(`remote request: ${r.url()}`);
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
});

const rowsOf = (selector: string) => page.locator(`${selector} tbody tr`);
const cellTexts = (selector: string, column: string) => page.locator(`${selector} tbody tr td.col-${column}`).allTextContents();

describe("the trader's questions on a 20-day paper session", () => {
  let file: string;
  let served: ServedViewer;
  let reader: SqliteEventStore;
  beforeAll(async () => {
    file = await paperSession(20, 5);
    reader = SqliteEventStore.open({ file, readOnly: true });
    served = await startServedViewer({ db: file, port: 0, pollMs: 100 });
  }, 240_000);
  afterAll(async () => {
    await served?.close();
    reader?.close();
  });

  it('the losing trades of one ticker, sorted by net P&L', async () => {
    const expected = await loadTrades(reader, { tickers: ['MDTX'], outcome: 'lost', sort: 'net_pnl' });
    await page.goto(`${served.url}#/trades`);
    await page.waitForSelector('#trades-table tbody tr');
    await page.selectOption('#trades-ticker', 'MDTX');
    await page.selectOption('#trades-outcome', 'lost');
    await expect.poll(() => rowsOf('#trades-table').count()).toBe(expected.length);
    expect(new Set(await cellTexts('#trades-table', 'ticker'))).toEqual(new Set(['MDTX']));
    expect((await cellTexts('#trades-table', 'net_pnl')).every((t) => t.startsWith('\u2212'))).toBe(true);
    // Sort by net P&L: first click largest first, second click worst first.
    await page.click('#trades-table th button[data-col="net_pnl"]');
    await page.click('#trades-table th button[data-col="net_pnl"]');
    await expect.poll(() => page.textContent('#trades-table tbody tr:first-child td.col-position_id')).toBe(expected[0]!.position_id);
    expect(await page.textContent('#trades-table tbody tr:first-child td.col-net_pnl')).toBe(
      formatMoney(expected[0]!.net_pnl, { sign: 'always' }),
    );
    expect(page.url()).toContain('ticker=MDTX');
    expect(page.url()).toContain('outcome=lost');
    await shot('trades');
  });

  it('the book at a given time, typed or slid to', async () => {
    const at = Date.parse('2025-03-05T17:30:00Z');
    const expected = await loadBook(reader, at);
    await page.goto(`${served.url}#/book`);
    await page.waitForSelector('#book-summary');
    await page.fill('#book-time', '2025-03-05 17:30');
    await page.press('#book-time', 'Enter');
    await expect.poll(() => page.textContent('#book-asof')).toBe('2025-03-05 17:30:00');
    expect(
      await page.locator('#book-positions tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-position-id'))),
    ).toEqual(expected.positions.map((p) => p.position_id));
    expect(await page.textContent('#book-positions tbody tr:first-child')).toContain('8,871');
    expect(await page.textContent('#book-summary')).toContain(formatMoney(expected.unrealized_pnl, { sign: 'always' }));
    expect(await page.textContent('#book-risk')).toContain('1,000.00');
    await shot('book');
    // The slider moves the same instant: the first minute of the session has nothing open yet.
    await page.locator('#book-slider').evaluate((el: HTMLInputElement) => {
      el.value = el.min;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await expect.poll(() => page.textContent('#book-asof')).toBe('2025-03-03 14:35:00');
    expect(await page.textContent('.page')).toContain('No position was open at this time.');
  });

  it('skip counts by reason, per ticker, each opening the events behind it', async () => {
    const { decisions } = await loadDecisions(reader);
    await page.goto(`${served.url}#/decisions`);
    await page.waitForSelector('#dec-skips');
    expect(await page.textContent('#dec-skips tr[data-key="rate_limited"] button[data-group="all"]')).toBe('151');
    expect(await page.textContent('#dec-skips tr[data-key="position_open"] button[data-group="MDTX"]')).toBe(
      String(decisions.by_ticker.MDTX!.by_skip_reason.position_open!.count),
    );
    await shot('decisions');
    await page.click('#dec-skips tr[data-key="rate_limited"] button[data-group="all"]');
    await expect.poll(() => page.textContent('#behind-count')).toContain('151 events');
    expect(new Set(await page.locator('#behind-events .badge').allTextContents())).toEqual(new Set(['ALERT_SKIPPED']));
    expect(await page.locator('#behind-events li').count()).toBe(50);
  });

  it('the failed risk checks of a day, and what the circuit breaker blocked', async () => {
    const { decisions } = await loadDecisions(reader);
    const [day, breakdown] = Object.entries(decisions.by_day).find(([, b]) => b.risk_failures.circuit_breaker)!;
    await page.goto(`${served.url}#/decisions?by=day`);
    await page.waitForSelector('#dec-risk');
    const cell = `#dec-risk tr[data-key="circuit_breaker"] button[data-group="${day}"]`;
    expect(await page.textContent(cell)).toBe(String(breakdown.risk_failures.circuit_breaker!.count));
    await page.click(cell);
    await expect.poll(() => page.locator('#behind-events li').count()).toBe(breakdown.risk_failures.circuit_breaker!.count);
    expect(new Set(await page.locator('#behind-events .badge').allTextContents())).toEqual(new Set(['RISK_CHECK_FAILED']));
    expect((await page.locator('#behind-events .event-line .mono').allTextContents()).every((t) => t.startsWith(day))).toBe(true);
    // The trips: each with the losing closes that tripped it and the signals it then blocked.
    const trips = decisions.breaker_trips;
    expect(await page.locator('#breaker-trips tbody tr').count()).toBe(trips.length);
    const blocked = trips.find((t) => t.blocked.length > 0)!;
    const row = page.locator(`#breaker-trips tr[data-trip="${blocked.trip.event_id}"]`);
    expect(await row.locator('.trip-blocked a').allTextContents()).toEqual(blocked.blocked.map((b) => b.subject ?? b.event.aggregate_id));
    expect(await row.locator('.trip-losses a').allTextContents()).toEqual(blocked.losses.map((l) => l.position_id));
    await row.scrollIntoViewIfNeeded();
    await shot('decisions-breaker');
  });

  it('what-if on the score threshold: the decisions that would flip, with the outcome of those that traded', async () => {
    const { what_if } = await loadDecisions(reader, { threshold: 0.7 });
    await page.goto(`${served.url}#/decisions`);
    await page.waitForSelector('#whatif-threshold');
    await page.fill('#whatif-threshold', '0.7');
    await page.click('#whatif-run');
    await expect.poll(() => page.textContent('#whatif-summary')).toContain(`${what_if!.flips.length} decision`);
    expect(page.url()).toContain('threshold=0.7');
    expect(await page.textContent('#whatif-summary')).toContain(formatMoney(what_if!.their_net_pnl, { sign: 'always' }));
    expect(await page.locator('#whatif-flips tbody tr').count()).toBe(what_if!.flips.length);
    const traded = what_if!.flips.find((f) => f.trades.length > 0)!;
    expect(await page.textContent('#whatif-flips')).toContain(traded.trades[0]!.position_id);
    await page.locator('#whatif-flips').scrollIntoViewIfNeeded();
    await shot('decisions-what-if');
  });

  it("a rejected order's reason", async () => {
    await page.goto(`${served.url}#/decisions`);
    await page.waitForSelector('#dec-rejections');
    expect(await page.textContent('#dec-rejections tr[data-key="halted"] button[data-group="all"]')).toBe('15');
    await page.click('#dec-rejections tr[data-key="halted"] button[data-group="all"]');
    await expect.poll(() => page.locator('#behind-events li').count()).toBe(15);
    expect((await page.locator('#behind-events .event-line-text').allTextContents()).every((t) => t.startsWith('rejected: halted'))).toBe(
      true,
    );
    await page.locator('#behind-events a').first().click();
    await page.waitForSelector('.event-detail .json');
    expect(await page.textContent('.event-detail .json')).toContain('"reject_reason": "halted"');
  });

  it("a position's P&L and the stop that fired", async () => {
    const [trade] = await loadTrades(reader, { tickers: ['MDTX'], exitReasons: ['stop_loss'] });
    await page.goto(`${served.url}#/trades?ticker=MDTX&exit=stop_loss`);
    await page.waitForSelector(`#trades-table tr[data-position-id="${trade!.position_id}"]`);
    await page.click(`#trades-table tr[data-position-id="${trade!.position_id}"] td.col-ticker`);
    await page.waitForSelector('#pnl-chart canvas');
    expect(await page.textContent('#pnl-realized')).toBe(formatMoney(trade!.net_pnl, { sign: 'always' }));
    expect(await page.textContent('#pnl-status')).toBe('closed · stop_loss');
    const whats = await page.locator('#pnl-markers tbody tr td:nth-child(2)').allTextContents();
    expect(whats.map((w) => w.trim())).toContain('Stop triggered');
    expect(whats.at(-1)!.trim()).toBe('Closed');
    expect(await page.textContent('#pnl-markers thead')).toContain('Time (UTC)');
    // The raw value is one click away.
    const entry = page.locator('#pnl-entry');
    const shown = await entry.textContent();
    await entry.click();
    expect(await entry.textContent()).toBe(String(trade!.avg_entry_price));
    await entry.click();
    expect(await entry.textContent()).toBe(shown);
    await page.goto(`${served.url}#/position/s5-pos-0017`);
    await page.waitForSelector('#pnl-chart canvas');
    expect(await page.textContent('#pnl-entry')).toBe('0.9927');
    expect(await page.textContent('#pnl-realized')).toBe('\u2212508.42');
    await shot('pnl');
  });

  it('the P&L page shows what show position --json says, for every position of the session', async () => {
    const db = new Database(file, { readonly: true });
    const ids = (
      db.prepare(`SELECT DISTINCT aggregate_id AS id FROM event_log WHERE aggregate_type = 'position' ORDER BY id`).all() as {
        id: string;
      }[]
    ).map((r) => r.id);
    const lastAt = (db.prepare('SELECT MAX(created_at) AS t FROM event_log').get() as { t: number }).t;
    db.close();
    expect(ids.length).toBeGreaterThan(40);
    for (const id of ids) {
      const state = await showPosition(file, id);
      await page.goto(`${served.url}#/position/${id}`);
      await page.waitForSelector('#pnl-summary');
      const read = (sel: string) => page.textContent(sel);
      expect(await read('#pnl-entry'), `${id} entry`).toBe(formatTick(state.entry_price as number));
      expect(await page.getAttribute('#pnl-entry', 'data-raw'), `${id} raw entry`).toBe(String(state.entry_price));
      expect(await read('#pnl-exit'), `${id} exit`).toBe(formatTick(state.exit_price as number | null));
      expect(await read('#pnl-realized'), `${id} realized`).toBe(formatMoney(state.realized_pnl as number, { sign: 'always' }));
      const status = state.status === 'closed' ? `closed · ${String(state.exit_reason)}` : String(state.status);
      expect(await read('#pnl-status'), `${id} status`).toBe(status);
      const hold = state.status === 'closed' ? (state.hold_duration_seconds as number) : (lastAt - (state.opened_at as number)) / 1000;
      expect(await page.getAttribute('#pnl-hold', 'data-seconds'), `${id} hold`).toBe(String(hold));
      expect(await read('#pnl-hold'), `${id} hold text`).toBe(formatHold(hold));
    }
  }, 300_000);

  it("a trade's story, from its row in the blotter", async () => {
    await page.goto(`${served.url}#/trades`);
    await page.click('#trades-table tr[data-position-id="s5-pos-0013"] td.col-exit_reason');
    await page.waitForSelector('#pnl-story #trace-timeline');
    const types = await page.locator('#pnl-story #trace-timeline .tl-item .badge').allTextContents();
    expect(types[0]).toBe('ALERT_RECEIVED');
    for (const t of [
      'ALERT_DECISION_MADE',
      'SIGNAL_GENERATED',
      'RISK_CHECK_PASSED',
      'ORDER_SUBMITTED',
      'ORDER_FILLED',
      'POSITION_OPENED',
      'POSITION_CLOSED',
    ])
      expect(types).toContain(t);
    await page.locator('#pnl-story').scrollIntoViewIfNeeded();
    await shot('story');
  });

  it('the performance report and its equity curve', async () => {
    const report = await loadReport(reader);
    await page.goto(`${served.url}#/performance`);
    await page.waitForSelector('#equity-chart canvas');
    expect(await page.textContent('#report-summary')).toContain(formatMoney(report.net_pnl, { sign: 'always' }));
    expect(await page.locator('#report-by-ticker tbody tr').count()).toBe(Object.keys(report.by_ticker).length);
    expect(await page.locator('#report-by-day tbody tr').count()).toBe(Object.keys(report.by_day).length);
    // The chart's time axis is 24-hour in the zone (MM-DD labels over 20 days), never "2pm".
    expect(await page.textContent('.page')).not.toMatch(/\d(am|pm)\b/i);
    await shot('performance');
  });

  it('shows every time in one zone, named, and the setting moves them all', async () => {
    await page.goto(`${served.url}#/trades?ticker=ARKO`);
    await page.waitForSelector('#trades-table tbody tr');
    expect(await page.textContent('#trades-table thead')).toContain('Opened (UTC)');
    expect(await page.textContent('#trades-table tr[data-position-id="s5-pos-0001"] td.col-opened_at')).toBe('2025-03-03 15:06:00');
    await page.selectOption('#zone-select', 'America/New_York');
    await expect.poll(() => page.textContent('#trades-table thead')).toContain('Opened (America/New_York)');
    expect(await page.textContent('#trades-table tr[data-position-id="s5-pos-0001"] td.col-opened_at')).toBe('2025-03-03 10:06:00');
    await page.selectOption('#zone-select', 'UTC');
    await expect.poll(() => page.textContent('#trades-table thead')).toContain('Opened (UTC)');
  });

  it('resets a bad address with a message and says "not found" for an unknown id', async () => {
    await page.goto(`${served.url}#/trades?ticker=NOPE`);
    await expect.poll(() => page.textContent('#notice')).toContain("no ticker 'NOPE' in the log");
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/trades');
    await page.waitForSelector('#trades-table tbody tr');
    await shot('bad-url-reset');
    await page.goto(`${served.url}#/events?filter=%7Bnot-json`);
    await expect.poll(() => page.textContent('#notice')).toContain('was cleared');
    await page.waitForSelector('.vlist .row');
    await page.goto(`${served.url}#/book?at=yesterday-ish`);
    await expect.poll(() => page.textContent('#notice')).toContain('yesterday-ish');
    await page.goto(`${served.url}#/position/no-such-position`);
    await expect.poll(() => page.textContent('#pnl-not-found')).toContain('not found');
    await page.goto(`${served.url}#/replay/position/no-such-position`);
    await expect.poll(() => page.textContent('#replay-not-found')).toContain('not found');
    await page.goto(`${served.url}#/event/no-such-event`);
    await expect.poll(() => page.textContent('.error-box')).toContain('not found');
    await page.goto(`${served.url}#/replay/position/s5-pos-0017?step=abc`);
    await expect.poll(() => page.textContent('#notice')).toContain('abc');
    await expect.poll(() => page.textContent('#step-count')).toMatch(/^Step (\d+) \/ \1$/);
    await page.goto(`${served.url}#/nowhere`);
    await expect.poll(() => page.textContent('#notice')).toContain('There is no page');
  });

  it('finds every event of a ticker, hides a type, counts exactly, and jumps to the end', async () => {
    await page.goto(`${served.url}#/events`);
    await page.waitForSelector('.vlist .row');
    await page.fill('#filter-ticker', 'MDTX');
    await page.press('#filter-ticker', 'Tab');
    const all = (await fetchCount({ ticker: 'MDTX' })).count;
    await expect.poll(() => page.textContent('#exact-count')).toBe(`${all.toLocaleString('en-US')} match`);
    await page.selectOption('#filter-exclude', 'POSITION_PRICE_UPDATED');
    const without = (await fetchCount({ ticker: 'MDTX', excludeTypes: ['POSITION_PRICE_UPDATED'] })).count;
    expect(without).toBeLessThan(all);
    await expect.poll(() => page.textContent('#exact-count')).toBe(`${without.toLocaleString('en-US')} match`);
    expect(await page.locator('.vlist .row .badge').allTextContents()).not.toContain('POSITION_PRICE_UPDATED');
    await page.click('#jump-end');
    await expect.poll(() => page.textContent('#list-count')).toContain('last ');
    // Newest first: the end is the ticker's first event, an alert about it, scrolled into view.
    const first = await page.evaluate(async () =>
      (window as unknown as { catalyst: { eventsPage(a: unknown): Promise<{ records: { position: number }[] }> } }).catalyst.eventsPage({
        filter: { ticker: 'MDTX' },
        limit: 1,
        direction: 'forward',
      }),
    );
    await expect.poll(() => page.locator('.vlist .row .col-pos').last().textContent()).toBe(String(first.records[0]!.position));
    expect(await page.locator('.vlist .row .badge').last().textContent()).toBe('ALERT_RECEIVED');
    const box = await page.locator('.vlist').boundingBox();
    const lastRow = await page.locator('.vlist .row').last().boundingBox();
    expect(lastRow!.y + lastRow!.height).toBeLessThanOrEqual(box!.y + box!.height + 1);
    await shot('events');
  });

  it('replays a long aggregate a window of steps at a time, each step with its time', async () => {
    await page.goto(`${served.url}#/replay/risk/s5-risk`);
    await expect.poll(() => page.textContent('#step-count')).toBe('Step 631 / 631');
    expect(await page.locator('.steps li').count()).toBe(31); // the last window: steps 601–631
    expect(await page.isVisible('#steps-earlier')).toBe(true);
    expect(await page.textContent('.steps li.current .step-time')).toMatch(/^03-28 \d{2}:\d{2}:\d{2}$/);
    await page.keyboard.press('Home');
    await expect.poll(() => page.textContent('#step-count')).toBe('Step 1 / 631');
    expect(await page.locator('.steps li').count()).toBe(200);
    await page.click('#steps-later');
    await expect.poll(() => page.textContent('#step-count')).toBe('Step 201 / 631');
    expect(await page.textContent('.steps li.current .step-no')).toBe('201');
    await shot('replay');
  });

  it('aggregates and stats, in the same numbers for people', async () => {
    await page.goto(`${served.url}#/aggregates/position`);
    await page.waitForSelector('#aggregates-table tbody tr');
    expect(await page.textContent('#aggregates-table')).toContain('s5-pos-0001');
    await shot('aggregates');
    await page.goto(`${served.url}#/stats`);
    await page.waitForSelector('#stats-summary');
    expect(await page.textContent('#stats-summary')).toContain('6,716');
    await shot('stats');
  });

  it('raised no page errors and fetched nothing remote', () => {
    expect(problems).toEqual([]);
  });
});

async function fetchCount(filter: Record<string, unknown>): Promise<{ count: number; exact: boolean }> {
  // The same query the page makes, asked of the page's own API (the bridge), so the answer is the service's.
  return page.evaluate(
    async (f) =>
      (window as unknown as { catalyst: { eventsCount(a: unknown): Promise<{ count: number; exact: boolean }> } }).catalyst.eventsCount({
        filter: f,
      }),
    filter,
  );
}

describe('an empty log, then a bot writing to it', () => {
  it('shows empty states, then every tab fills in while the bot writes', async () => {
    const file = join(tempDir(), 'live.db');
    SqliteEventStore.open({ file }).close();
    const served = await startServedViewer({ db: file, port: 0, pollMs: 100 });
    try {
      for (const [tab, text] of [
        ['trades', 'No trades in this log yet'],
        ['performance', 'No trades in this log yet'],
        ['book', 'no events yet'],
        ['decisions', 'No decisions in this log yet'],
        ['aggregates', 'no events yet'],
      ] as const) {
        await page.goto(`${served.url}#/${tab}`);
        await expect.poll(() => page.textContent('.content')).toContain(text);
      }
      await page.goto(`${served.url}#/trades`);
      await expect.poll(() => page.textContent('.content')).toContain('No trades in this log yet');
      // The reference bot writes a 2-day session into the file the viewer has open.
      const bot = promisify(execFile)(
        join(root, 'node_modules/.bin/tsx'),
        [join(root, 'examples/paper-bot/main.ts'), '--days', '2', '--seed', '3', '--db', file],
        { cwd: root },
      );
      await expect.poll(() => page.locator('#trades-table tbody tr').count(), { timeout: 120_000 }).toBeGreaterThan(0);
      await bot;
      const trades = await (async () => {
        const r = SqliteEventStore.open({ file, readOnly: true });
        try {
          return await loadTrades(r);
        } finally {
          r.close();
        }
      })();
      await expect.poll(() => page.locator('#trades-table tbody tr').count(), { timeout: 30_000 }).toBe(trades.length);
      await page.click('.tabs a:has-text("Stats")');
      await expect.poll(() => page.textContent('#stats-summary')).not.toMatch(/^0Events/);
    } finally {
      await served.close();
    }
  }, 240_000);
});
