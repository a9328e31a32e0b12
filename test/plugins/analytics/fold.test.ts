import { describe, expect, it } from 'vitest';
import {
  AnalyticsFold,
  bookOf,
  decisionsOf,
  foldSource,
  loadBook,
  InvalidQueryError,
  NotInLogError,
  positionPnl,
  reportOf,
  TimeZone,
  tradesCsv,
  tradesOf,
  whatIf,
  type TradeQuery,
  type TradeRow,
} from '../../../src-plugins/analytics';
import { DAY1, DAY2, handLog, min, T } from './hand-log';

const fold = (options: ConstructorParameters<typeof AnalyticsFold>[0] = {}) => new AnalyticsFold(options).applyAll(handLog());
const row = (id: string): TradeRow => tradesOf(fold()).find((r) => r.position_id === id)!;

describe('trades blotter: figures worked out by hand (hand-log.ts)', () => {
  it.each([
    // id, side, peak, avg entry, avg exit, gross, fees, net, return %, hold s, reason, status
    ['pos-AAA (scale-in, partial exit, fees)', 'pos-AAA', 'long', 200, 11, 10.25, -150, 4, -154, -7, 240, 'stop_loss', 'closed'],
    ['pos-BBB (short, fees, writer figures)', 'pos-BBB', 'short', 100, 5, 4, 100, 2, 98, 98 / 5, 180, 'take_profit', 'closed'],
    ['pos-CCC-1 (flip: the closed side)', 'pos-CCC-1', 'long', 100, 10, 11, 100, 0.6, 99.4, 9.94, 600, 'reversal', 'closed'],
    ['pos-CCC-2 (flip: the new side)', 'pos-CCC-2', 'short', 50, 11, 10, 50, 0.4, 49.6, (49.6 / 550) * 100, 600, 'take_profit', 'closed'],
    ['pos-DDD (open at the cut-off)', 'pos-DDD', 'long', 10, 100, 110, 40, 0, 40, 4, 120, null, 'open'],
  ] as const)('%s', (_name, id, side, peak, entry, exit, gross, fees, net, ret, hold, reason, status) => {
    const r = row(id);
    expect(r).toMatchObject({ position_id: id, side, peak_quantity: peak, exit_reason: reason, status });
    expect(r.avg_entry_price).toBeCloseTo(entry, 9);
    expect(r.avg_exit_price).toBeCloseTo(exit, 9);
    expect(r.gross_pnl).toBeCloseTo(gross, 9);
    expect(r.fees).toBeCloseTo(fees, 9);
    expect(r.net_pnl).toBeCloseTo(net, 9);
    expect(r.return_pct).toBeCloseTo(ret, 9);
    expect(r.hold_seconds).toBeCloseTo(hold, 9);
  });

  it('has exactly the contract keys, times in ISO-8601 UTC, and links signal, alert and run', () => {
    const r = row('pos-AAA');
    expect(Object.keys(r)).toEqual([
      'position_id',
      'ticker',
      'side',
      'peak_quantity',
      'avg_entry_price',
      'avg_exit_price',
      'gross_pnl',
      'fees',
      'net_pnl',
      'return_pct',
      'opened_at',
      'closed_at',
      'hold_seconds',
      'exit_reason',
      'status',
      'signal_id',
      'alert_id',
      'run_id',
    ]);
    expect(r).toMatchObject({
      opened_at: '2025-03-03T14:30:00.000Z',
      closed_at: '2025-03-03T14:34:00.000Z',
      signal_id: 'sig-A',
      alert_id: 'al-1',
      run_id: null,
    });
    expect(row('pos-DDD').closed_at).toBeNull();
  });

  const ids = (q: TradeQuery) => tradesOf(fold(), q).map((r) => r.position_id);
  it.each<[string, TradeQuery, string[]]>([
    ['ticker (any case)', { tickers: ['aaa'] }, ['pos-AAA']],
    ['side', { side: 'short' }, ['pos-BBB', 'pos-CCC-2']],
    ['lost', { outcome: 'lost' }, ['pos-AAA']],
    ['won', { outcome: 'won' }, ['pos-BBB', 'pos-CCC-1', 'pos-CCC-2', 'pos-DDD']],
    ['exit reason', { exitReasons: ['reversal'] }, ['pos-CCC-1']],
    ['status', { status: 'open' }, ['pos-DDD']],
    ['time range (open at some time in it)', { since: min(DAY1, 12), until: min(DAY2, 5) }, ['pos-BBB', 'pos-CCC-1']],
    ['sort net_pnl descending', { sort: 'net_pnl', descending: true }, ['pos-CCC-1', 'pos-BBB', 'pos-CCC-2', 'pos-DDD', 'pos-AAA']],
    ['sort exit_reason (nulls last)', { sort: 'exit_reason' }, ['pos-CCC-1', 'pos-AAA', 'pos-BBB', 'pos-CCC-2', 'pos-DDD']],
  ])('filters and sorts: %s', (_name, query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it('refuses what the log does not hold, and a column that does not exist', () => {
    expect(() => tradesOf(fold(), { tickers: ['ZZZ'] })).toThrow(NotInLogError);
    expect(() => tradesOf(fold(), { tickers: ['ZZZ'] })).toThrow(/no ticker 'ZZZ' in the log \(the log has: AAA, BBB, CCC, DDD\)/);
    expect(() => tradesOf(fold(), { runs: ['r9'] })).toThrow(NotInLogError);
    expect(() => tradesOf(fold(), { sort: 'pnl' as never })).toThrow(InvalidQueryError);
  });

  it('writes CSV with the same columns and raw values', () => {
    const csv = tradesCsv(tradesOf(fold(), { tickers: ['CCC'] })).split('\r\n');
    expect(csv[0]).toBe(
      'position_id,ticker,side,peak_quantity,avg_entry_price,avg_exit_price,gross_pnl,fees,net_pnl,return_pct,opened_at,closed_at,hold_seconds,exit_reason,status,signal_id,alert_id,run_id',
    );
    expect(csv[1]).toMatch(
      /^pos-CCC-1,CCC,long,100,10,11,100,0\.6,99\.4,9\.94,2025-03-04T14:30:00\.000Z,2025-03-04T14:40:00\.000Z,600,reversal,closed,,,$/,
    );
    expect(csv).toHaveLength(4); // header, 2 rows, trailing empty
  });
});

describe('performance report: figures worked out by hand', () => {
  const report = reportOf(fold());
  // Closed trades in close order: -154, +98, +99.4, +49.6
  it.each([
    ['trades', 4],
    ['wins', 3],
    ['losses', 1],
    ['net_pnl', 93],
    ['gross_profit', 247],
    ['gross_loss', -154],
    ['profit_factor', 247 / 154],
    ['win_rate', 0.75],
    ['avg_win', 247 / 3],
    ['avg_loss', -154],
    ['expectancy', 93 / 4],
    ['largest_win', 99.4],
    ['largest_loss', -154],
    ['commissions', 7],
    ['avg_hold_seconds', (240 + 180 + 600 + 600) / 4],
    ['open_trades', 1],
    ['unrealized_pnl', 30],
  ] as const)('%s', (key, value) => {
    expect(report[key] as number).toBeCloseTo(value, 9);
  });

  it('max drawdown: realized on closed trades, marked to market at every move', () => {
    // realized: 0 -> -154 (154); marked: peak 599 after the partial exit, -154 after the close: 753
    expect(report.max_drawdown.realized).toBeCloseTo(154, 9);
    expect(report.max_drawdown.marked_to_market).toBeCloseTo(753, 9);
  });

  it('breaks down by ticker, by day (of the close) and by exit reason with the same figures', () => {
    expect(Object.keys(report.by_ticker)).toEqual(['AAA', 'BBB', 'CCC']);
    expect(report.by_ticker.CCC).toMatchObject({ trades: 2, wins: 2, max_drawdown: { realized: 0, marked_to_market: 0 } });
    expect(report.by_ticker.CCC!.net_pnl).toBeCloseTo(149, 9);
    expect(report.by_ticker.AAA!.max_drawdown.marked_to_market).toBeCloseTo(753, 9);
    expect(Object.keys(report.by_day)).toEqual(['2025-03-03', '2025-03-04']);
    expect(report.by_day['2025-03-03']!.net_pnl).toBeCloseTo(-56, 9);
    // day 2 starts at -56 and peaks at 193 (+40 realized, +60 unrealized on DDD) before the mark at 105: 30
    expect(report.by_day['2025-03-04']!.max_drawdown.marked_to_market).toBeCloseTo(30, 9);
    expect(report.by_exit_reason.take_profit).toMatchObject({ trades: 2, wins: 2, max_drawdown: { marked_to_market: null } });
    expect(report.by_exit_reason.take_profit!.net_pnl).toBeCloseTo(147.6, 9);
    expect(report.by_exit_reason.stop_loss!.profit_factor).toBe(0);
  });

  it('cuts days in the display zone when one is given', () => {
    // Every close is between 14:30 and 15:00 UTC: 23:30-24:00 in Tokyo (UTC+9), the same days.
    const tokyo = reportOf(fold({ dayZone: TimeZone.of('Asia/Tokyo') }));
    expect(tokyo.day_zone).toBe('Asia/Tokyo');
    expect(Object.keys(tokyo.by_day)).toEqual(['2025-03-03', '2025-03-04']);
    // In Kiritimati (UTC+14) every close falls on the next day.
    const kiri = reportOf(fold({ dayZone: TimeZone.of('Pacific/Kiritimati') }));
    expect(Object.keys(kiri.by_day)).toEqual(['2025-03-04', '2025-03-05']);
  });

  it('equity curve ends at realized + unrealized and carries the drawdown', () => {
    const last = report.equity_curve[report.equity_curve.length - 1]!;
    expect(last.equity).toBeCloseTo(93 + 40 + 30, 9);
    expect(last.realized).toBeCloseTo(133, 9);
    expect(Math.max(...report.equity_curve.map((p) => p.drawdown))).toBeCloseTo(753, 9);
    expect(report.equity_curve.every((p, i, a) => i === 0 || p.at > a[i - 1]!.at)).toBe(true);
  });

  it('an empty log gives zeros and nulls, never NaN', () => {
    const empty = reportOf(new AnalyticsFold());
    expect(empty).toMatchObject({
      trades: 0,
      net_pnl: 0,
      gross_profit: 0,
      gross_loss: 0,
      profit_factor: null,
      win_rate: null,
      avg_win: null,
      avg_loss: null,
      expectancy: null,
      max_drawdown: { realized: 0, marked_to_market: 0 },
      commissions: 0,
      as_of: null,
      by_ticker: {},
      by_day: {},
      by_exit_reason: {},
      equity_curve: [],
    });
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity/);
    expect(tradesOf(new AnalyticsFold())).toEqual([]);
    expect(bookOf(new AnalyticsFold({ asOf: DAY1 }))).toMatchObject({
      positions: [],
      orders: [],
      cash: null,
      risk: { breaker: { state: 'normal' } },
    });
    expect(decisionsOf(new AnalyticsFold())).toMatchObject({ alerts: 0, by_decision: {}, breaker_trips: [] });
  });
});

describe('book as of a time: one pass up to the instant', () => {
  const at = (asOf: number) => bookOf(new AnalyticsFold({ asOf }).applyAll(handLog()), asOf);

  it.each([
    [
      'after the mark at 13',
      T.aaaMarked,
      [{ position_id: 'pos-AAA', side: 'long', quantity: 200, avg_price: 11, mark_price: 13, unrealized_pnl: 400 }],
    ],
    [
      'the short marked at 4.5',
      T.bbbMarked,
      [{ position_id: 'pos-BBB', side: 'short', quantity: 100, avg_price: 5, mark_price: 4.5, unrealized_pnl: 50 }],
    ],
    ['after the BBB cover', T.bbbClosed, []],
    [
      'the open position after its partial exit',
      T.dddMarked,
      [{ position_id: 'pos-DDD', quantity: 6, avg_price: 100, mark_price: 105, unrealized_pnl: 30, realized_pnl: 40 }],
    ],
  ] as const)('%s', (_name, asOf, positions) => {
    const book = at(asOf);
    expect(book.as_of).toBe(new Date(asOf).toISOString());
    expect(book.positions).toHaveLength(positions.length);
    positions.forEach((p, i) => expect(book.positions[i]).toMatchObject(p));
  });

  it('lists working orders (not filled, not rejected) at the instant', () => {
    expect(at(T.bbbOrderWorking).orders).toMatchObject([
      { order_id: 'ord-1', status: 'accepted', quantity: 100, leaves_quantity: 100, limit_price: 4 },
    ]);
    expect(at(T.bbbClosed).orders).toEqual([]);
  });

  it("risk: the breaker while tripped, the day's loss used against the limit", () => {
    const tripped = at(min(DAY1, 6));
    expect(tripped.risk.breaker).toMatchObject({
      state: 'tripped',
      reason: '1 consecutive losing trade',
      until: new Date(min(DAY1, 9)).toISOString(),
    });
    expect(tripped.risk.daily_loss).toMatchObject({
      day: '2025-03-03',
      used: 154,
      limit: 1000,
      level: 'warning',
      reported_realized_today: -154,
    });
    expect(tripped.risk.daily_loss.used_fraction).toBeCloseTo(0.154, 9);
    expect(tripped.risk.failed_checks_today).toBe(1);
    const after = at(T.bbbClosed);
    expect(after.risk.breaker.state).toBe('normal');
    expect(after.risk.daily_loss.used).toBeCloseTo(56, 9); // -154 + 98
    const nextDay = at(T.dddMarked);
    expect(nextDay.risk.daily_loss).toMatchObject({ day: '2025-03-04', used: 0, level: 'ok', reported_realized_today: null });
  });

  it('reads a real SQLite file through the core reader the same way (until pushed down to the store)', async () => {
    const { createCatalyst } = await import('../../../src-core');
    const { tempDir } = await import('../../support/temp');
    const tmp = tempDir('analytics-');
    const catalyst = await createCatalyst({ db: tmp.file('e.db'), emitter: { mode: 'sync', handleSignals: false } }, { plugins: [] });
    try {
      catalyst.store.appendBatch(handLog().map(({ position: _p, sequence_number: _s, ...prepared }) => prepared));
      const fromFile = bookOf(await foldSource(catalyst.store, { asOf: T.aaaMarked, pageSize: 3 }), T.aaaMarked);
      expect(fromFile.positions).toEqual(at(T.aaaMarked).positions);
      // loadBook skips price updates in its pass and looks up each open position's last mark: same book.
      for (const asOf of [T.aaaMarked, min(DAY1, 3), T.bbbMarked, T.bbbOrderWorking, T.dddMarked, min(DAY2, 31)]) {
        const { events: _n, ...book } = await loadBook(catalyst.store, asOf);
        const { events: _m, ...expected } = at(asOf);
        expect(book).toEqual(expected);
      }
      const all = await foldSource([catalyst.store, catalyst.store], { decisions: false }); // the same file twice: one after the other
      expect(all.events).toBe(handLog().length * 2);
    } finally {
      await catalyst.close();
      tmp.cleanup();
    }
  });
});

describe('decision analytics and what-if', () => {
  const d = decisionsOf(fold());

  it('counts decisions, skips, failed checks and rejections with the events behind them', () => {
    expect(d.alerts).toBe(2);
    expect(d.by_decision.trade!.count).toBe(1);
    expect(d.by_decision.skip!.events.map((e) => e.aggregate_id)).toEqual(['al-2']);
    expect(d.by_skip_reason.score_below_threshold!.count).toBe(1);
    expect(d.by_ticker.BBB!.by_skip_reason.score_below_threshold!.count).toBe(1);
    expect(d.by_day['2025-03-03']!.risk_failures.circuit_breaker!.count).toBe(1);
    expect(d.rejections.halted).toMatchObject({ count: 1, events: [{ aggregate_id: 'ord-2', event_type: 'ORDER_REJECTED' }] });
    expect(d.by_ticker.BBB!.rejections.halted!.count).toBe(1);
  });

  it('links the breaker trip to the losing streak and to what it blocked', () => {
    expect(d.breaker_trips).toHaveLength(1);
    const trip = d.breaker_trips[0]!;
    expect(trip.losses.map((l) => [l.position_id, l.net_pnl])).toEqual([['pos-AAA', -154]]);
    expect(trip.blocked).toMatchObject([{ subject: 'sig-X', check: 'circuit_breaker' }]);
    expect(trip.reset_reason).toBe('cooldown elapsed');
  });

  it.each([
    // threshold, alerts that flip (and to what), trades the change would not take, their net P&L
    [0.59, [['al-2', 'trade']], 0, 0],
    [0.65, [], 0, 0],
    [0.85, [['al-1', 'skip']], 1, -154],
  ] as const)('threshold %s', (threshold, flips, wouldNot, pnl) => {
    const w = whatIf(fold(), threshold);
    expect(w.recorded_thresholds).toEqual([0.65]);
    expect(w.flips.map((f) => [f.alert_id, f.would_be])).toEqual(flips);
    expect(w.would_not_trade).toBe(wouldNot);
    expect(w.their_net_pnl).toBeCloseTo(pnl, 9);
    if (threshold === 0.85)
      expect(w.flips[0]!.trades).toMatchObject([{ position_id: 'pos-AAA', status: 'closed', exit_reason: 'stop_loss' }]);
  });
});

describe("one position's P&L series", () => {
  it('scale-in and partial exits: entry is the average, the exit fill is marked, best and worst cover the fills', () => {
    const s = positionPnl('pos-AAA', handLog());
    expect(s).toMatchObject({
      found: true,
      status: 'closed',
      entry_price: 11,
      exit_price: 9,
      avg_exit_price: 10.25,
      realized_pnl: -154,
      hold_seconds: 240,
      peak_quantity: 200,
    });
    // points: open 0; add @12 200; mark 13: 400; sell 50 @14: (14-11)*200 = 600; close @9: (9-11)*150 = -300
    expect(s.points.map((p) => p.unrealized_pnl)).toEqual([0, 200, 400, 600, -300]);
    expect(s.best_unrealized_pnl).toBe(600);
    expect(s.worst_unrealized_pnl).toBe(-300);
    expect(s.markers.map((m) => m.kind)).toEqual(['opened', 'increased', 'reduced', 'closed']);
  });

  it('an open position: realized so far and the hold time to the cut-off; an unknown id is not found', () => {
    const s = positionPnl('pos-DDD', handLog(), { asOf: min(DAY2, 60) });
    expect(s).toMatchObject({
      status: 'open',
      realized_pnl: 40,
      unrealized_pnl: 30,
      hold_seconds: 1800,
      open_quantity: 6,
      exit_price: null,
    });
    expect(positionPnl('pos-NOPE', handLog())).toMatchObject({ found: false, status: 'unknown', points: [] });
  });
});
