import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { startServedViewer, type ServedViewer } from '../../../src-desktop/serve/start-served-viewer';
import { tempDir, writeTradeLog } from '../fixtures';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/chromium';

/**
 * The renderer in Debian's Chromium, driven by playwright-core against the served mode (the
 * same renderer and queries the Electron app uses), with the built-in plugins loaded.
 */
const root = join(import.meta.dirname, '../../..');
const LEAD_SHOTS = '/tmp/desktop-shots';

let shots: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  mkdirSync(LEAD_SHOTS, { recursive: true });
  copyFileSync(path, join(LEAD_SHOTS, `${name}.png`));
}

function startWriter(file: string) {
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'test/desktop/main/live-writer.ts'), file], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => String((await lines.next()).value);
  return {
    ready: next(),
    async send(n: number) {
      child.stdin.write(`${n}\n`);
      return next();
    },
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.stdin.end())),
  };
}

beforeAll(async () => {
  shots = tempDir('catalyst-shots-');
  context = await chromium.launchPersistentContext(tempDir('catalyst-chromium-'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  // Anything the page asks of another origin is a bug (and the CSP would block it anyway).
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:')) problems.push(`remote request: ${r.url()}`);
  });
});

afterAll(async () => {
  await context?.close();
});

describe('the viewer in a browser, on a trade log', () => {
  let file: string;
  let served: ServedViewer;
  beforeAll(async () => {
    file = join(tempDir(), 'trades.db');
    writeTradeLog(file, 3);
    // One row whose payload is not JSON, written as a broken bot would.
    const db = new Database(file);
    db.prepare(
      `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
       VALUES ('bad-1', 'ORDER_FILLED', 'order', 'order-broken', '{"filled_quantity": 10, oops', NULL, ?, 1)`,
    ).run(Date.UTC(2025, 0, 6, 14, 40));
    db.close();
    served = await startServedViewer({ db: file, port: 0, pollMs: 50 });
  });
  afterAll(() => served?.close());

  it('browses, filters by text and type, and opens an event with its story', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(served.url);
    await page.waitForSelector('.vlist .row[data-event-id]');
    await expect.poll(() => page.textContent('#list-count')).toBe('51 events');
    await shot('01-events-light');

    await page.fill('#filter-text', 'BIOX');
    await expect.poll(() => page.textContent('#list-count')).toBe('6 events');
    const summaries = await page.locator('.vlist .row .col-summary').allTextContents();
    expect(summaries.some((s) => s.includes('BIOX wins FDA approval'))).toBe(true);

    await page.fill('#filter-text', '');
    await page.selectOption('#filter-type', 'POSITION_CLOSED');
    await expect.poll(() => page.textContent('#list-count')).toBe('3 events');
    expect(await page.locator('.chips .chip').allTextContents()).toEqual(['POSITION_CLOSED ✕']);
    expect(new Set(await page.locator('.vlist .row .badge').allTextContents())).toEqual(new Set(['POSITION_CLOSED']));

    await page.locator('.vlist .row', { hasText: 'position-2' }).click();
    await page.waitForSelector('.event-detail');
    expect(await page.textContent('.event-detail .detail-summary')).toContain('closed (stop_loss) @ 10.25, realized +25.00');
    expect(await page.textContent('.event-detail .json')).toContain('"exit_reason": "stop_loss"');
    await shot('02-event-detail');

    await page.click('.event-detail a:has-text("Trade story")');
    await page.waitForSelector('#trace-timeline');
    const types = await page.locator('#trace-timeline .tl-item .badge').allTextContents();
    expect(types[0]).toBe('ALERT_RECEIVED');
    expect(types.at(-1)).toBe('POSITION_CLOSED');
    expect(await page.textContent('#trace-summary')).toContain('+25.00');
    await shot('03-trade-story');
  });

  it('replays a position step by step to its close, showing what each step changed', async () => {
    await page.goto(`${served.url}#/replay/position/position-1?step=0`);
    await page.waitForSelector('#replay-state .json');
    expect(await page.textContent('#step-count')).toBe('Step 1 / 8');
    expect(await page.textContent('#replay-state')).toContain('"status": "open"');
    await page.click('#step-forward');
    await expect.poll(() => page.textContent('#step-count')).toBe('Step 2 / 8');
    await page.keyboard.press('End');
    await expect.poll(() => page.textContent('#step-count')).toBe('Step 8 / 8');
    await expect.poll(() => page.textContent('#replay-state')).toContain('"status": "closed"');
    expect(await page.textContent('#replay-changes')).toMatch(/status\s*"open"\s*→\s*"closed"/);
    expect(await page.locator('#replay-state .mark-changed').count()).toBeGreaterThan(0);
    await shot('04-replay-closed');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.textContent('#step-count')).toBe('Step 7 / 8');
    await page.click('.steps li:nth-child(5) button');
    await expect.poll(() => page.textContent('#step-count')).toBe('Step 5 / 8');
    expect(await page.textContent('#replay-changes')).toContain('stop_loss');
  });

  it('charts the position: price, P&L, stop moves, trigger and close', async () => {
    await page.goto(`${served.url}#/position/position-1`);
    await page.waitForSelector('#pnl-chart canvas');
    expect(await page.locator('#pnl-markers tbody tr td:nth-child(2)').allTextContents()).toEqual([
      ' Opened',
      ' Stop moved',
      ' Stop triggered',
      ' Closed',
    ]);
    expect(await page.textContent('#pnl-summary')).toContain('+25.00');
    const box = await page.locator('#pnl-chart canvas').boundingBox();
    expect(box!.width).toBeGreaterThan(800);
    await shot('05-pnl-chart');
  });

  it('flags the corrupt row everywhere without breaking a view', async () => {
    await page.goto(`${served.url}#/events?filter=${encodeURIComponent(JSON.stringify({ aggregateType: 'order' }))}`);
    await page.waitForSelector('.vlist .row.corrupt');
    expect(await page.textContent('.vlist .row.corrupt')).toContain('corrupt');
    await page.click('.vlist .row.corrupt');
    await page.waitForSelector('.event-detail .raw');
    expect(await page.textContent('.event-detail .raw')).toContain('{"filled_quantity": 10, oops');
    await shot('06-corrupt-row');
    await page.click('.tabs a:has-text("Corrupt")');
    await page.waitForSelector('#corrupt-table tbody tr');
    expect(await page.locator('#corrupt-table tbody tr').count()).toBe(1);
    await page.goto(`${served.url}#/replay/order/order-broken`);
    await page.waitForSelector('.error-box');
    expect(await page.textContent('.page')).toContain('1 corrupt row');
  });

  it('uses stats as facets that filter the browser, and exports the filter', async () => {
    await page.goto(`${served.url}#/stats`);
    await page.waitForSelector('#stats-summary');
    expect(await page.textContent('#stats-summary')).toContain('51');
    await shot('07-stats');
    await page.click('.facet:has-text("SIGNAL_GENERATED")');
    await expect.poll(() => page.textContent('#list-count')).toBe('3 events');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv.slice(1).every((l) => l.includes(',SIGNAL_GENERATED,'))).toBe(true);
  });

  it('notices new events while another process writes the file', async () => {
    const writer = startWriter(file);
    try {
      expect(await writer.ready).toBe('ready');
      await page.goto(served.url);
      await page.waitForSelector('.vlist .row[data-event-id]');
      const before = await page.textContent('#list-count');
      await writer.send(5);
      await page.waitForSelector('#new-events');
      await expect.poll(() => page.textContent('#new-events')).toContain('5 new events');
      await expect.poll(() => page.textContent('#head-position')).toContain('56');
      await shot('08-new-events');
      await page.click('#new-events');
      await expect.poll(() => page.textContent('#list-count')).not.toBe(before);
      expect(await page.textContent('.vlist .row:first-child')).toContain('position-live');
    } finally {
      await writer.stop();
    }
  });

  it('is readable in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${served.url}#/trace/signal-1`);
    await page.waitForSelector('#trace-timeline');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const fg = await page.evaluate(() => getComputedStyle(document.body).color);
    expect(bg).toBe('rgb(14, 17, 22)');
    expect(fg).toBe('rgb(230, 235, 241)');
    await shot('09-trade-story-dark');
    await page.goto(`${served.url}#/position/position-1`);
    await page.waitForSelector('#pnl-chart canvas');
    await shot('10-pnl-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('raised no page errors and fetched nothing remote', () => {
    expect(problems).toEqual([]);
  });
});

describe('the viewer on a large file', () => {
  const N = 20_000;
  let served: ServedViewer;
  beforeAll(async () => {
    const file = join(tempDir(), 'large.db');
    SqliteEventStore.open({ file }).close();
    const db = new Database(file);
    db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${N})
      INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
      SELECT printf('ev-%06d', i), 'POSITION_PRICE_UPDATED', 'position', 'p-' || (i % 50),
             json_object('position_id', 'p-' || (i % 50), 'old_price', 10, 'new_price', 10 + (i % 97) / 100.0, 'new_unrealized_pnl', i % 13),
             json_object('source', 'gen'), 1736173800000 + i * 1000, (i / 50) + 1
      FROM c`);
    db.close();
    served = await startServedViewer({ db: file, port: 0, plugins: [] });
  });
  afterAll(() => served?.close());

  it('renders only the visible rows and pages in more as you scroll or move with the keyboard', async () => {
    await page.goto(served.url);
    await page.waitForSelector('.vlist .row[data-event-id]');
    await expect.poll(() => page.textContent('#list-count')).toBe('200+ events');
    const rendered = Number(await page.getAttribute('.vlist', 'data-rows-rendered'));
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    expect(await page.locator('.vlist .row').count()).toBe(rendered);
    expect(await page.textContent('.vlist .row:first-child .col-pos')).toBe(String(N));

    await page.locator('.vlist').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(() => page.textContent('#list-count')).toBe('400+ events');
    expect(Number(await page.getAttribute('.vlist', 'data-rows-rendered'))).toBeLessThan(60);

    await page.click('.seg button:has-text("Oldest first")');
    await expect.poll(() => page.textContent('.vlist .row:first-child .col-pos')).toBe('1');
    await page.locator('.vlist .row').first().click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getAttribute('.event-detail', 'data-event-id')).toBe('ev-000004');
    await shot('11-large-file');
  });
});
