import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MINUTE_MS, tradingDays } from '../../../../examples/paper-bot/market/calendar';
import { CsvBarFeed, loadBarsCsv, parseBarsCsv } from '../../../../examples/paper-bot/market/csv-bars';

const SAMPLE = fileURLToPath(new URL('../../../../examples/paper-bot/data/sample-bars.csv', import.meta.url));

describe('CSV bars', () => {
  it('loads the shipped sample: a full session for three tickers', () => {
    const bars = loadBarsCsv(SAMPLE);
    expect(new Set(bars.map((b) => b.ticker))).toEqual(new Set(['BIOX', 'QNTM', 'SOLR']));
    expect(bars.length).toBeGreaterThan(1000);
    for (const b of bars) expect(b.low).toBeLessThanOrEqual(b.high);
  });

  it('names the line of a bad row', () => {
    const header = 'timestamp,ticker,open,high,low,close,volume';
    expect(() => parseBarsCsv(`${header}\n2025-01-02T14:30:00Z,AAA,1,2,0.5,abc,10\n`, 'x.csv')).toThrow(/x\.csv line 2/);
    expect(() => parseBarsCsv(`${header}\n2025-01-02T14:30:00Z,AAA,3,2,1,1.5,10\n`)).toThrow(/within low\.\.high/);
    expect(() => parseBarsCsv('a,b\n')).toThrow(/header/);
    expect(() => loadBarsCsv('/nonexistent/bars.csv')).toThrow(/cannot read/);
  });

  it('replays recorded minutes onto the simulated session, with news moving prices', () => {
    const text = [
      'timestamp,ticker,open,high,low,close,volume',
      '2024-06-03T14:30:00Z,AAA,10,10.2,9.9,10.1,1000',
      '2024-06-03T14:31:00Z,AAA,10.1,10.3,10,10.2,1200',
    ].join('\n');
    const feed = new CsvBarFeed(parseBarsCsv(text));
    const day = tradingDays('2025-03-03', 1)[0]!;
    feed.startDay(0, day.open);
    const first = feed.barsAt(day.open);
    expect(first).toEqual([{ ticker: 'AAA', time: day.open, open: 10, high: 10.2, low: 9.9, close: 10.1, volume: 1000 }]);
    feed.applyNews('AAA', day.open, 0.1);
    expect(feed.isHalted('AAA', day.open + MINUTE_MS)).toBe(true);
    expect(feed.barsAt(day.open + MINUTE_MS)).toEqual([]);
    feed.applyNews('AAA', day.open, -0.05);
    expect(feed.lastPrice('AAA')).toBe(10.1);
  });
});
