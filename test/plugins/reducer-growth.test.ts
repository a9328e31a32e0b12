/**
 * Every built-in fold is O(1) amortized per event with bounded state (issue 16): 100k
 * events of each aggregate type are folded while the work each reducer call does is
 * counted (elements and keys of every array or object it built anew), never timed. Once
 * the windows are full, every 10k events cost the same work: the last 10k no more than the
 * second 10k. A fold whose histories grow copies more per event as the log grows: its last
 * 10k events would cost ~6x its second 10k.
 */
import { describe, expect, it } from 'vitest';
import type { Payload, ReducerDefinition } from '../../src-core';
import { alertReducer, createAlertReducer, parseAlertOptions } from '../../src-plugins/alert';
import { createOrderReducer, orderReducer, parseOrderOptions, signalReducer } from '../../src-plugins/order';
import { createPositionReducer, parsePositionOptions, positionReducer } from '../../src-plugins/position';
import { parseRiskOptions, riskReducer } from '../../src-plugins/risk';
import { portfolioReducer } from '../../examples/portfolio-plugin';
import { ANOMALY_WINDOW } from '../../src-plugins/shared/reduce-helpers';
import { stream } from './events';

type Gen = (i: number) => [string, Payload];

/** Work a reducer call did: the size of every array or object in `next` that is not in `prev`, recursively. */
function built(prev: unknown, next: unknown): number {
  if (next === prev || next === null || typeof next !== 'object') return 0;
  if (Array.isArray(next)) {
    // A window that took one entry (and dropped the oldest when full): entries kept are the
    // previous ones shifted; any other entry is new and counted whole.
    const before: readonly unknown[] = Array.isArray(prev) ? prev : [];
    const shift = before.length + 1 - next.length;
    let work = next.length;
    next.forEach((item, i) => {
      if (item !== before[i + shift] && item !== before[i]) work += built(undefined, item);
    });
    return work;
  }
  const old = prev !== null && typeof prev === 'object' && !Array.isArray(prev) ? (prev as Record<string, unknown>) : {};
  let work = 0;
  for (const [key, value] of Object.entries(next)) work += 1 + built(old[key], value);
  return work;
}

interface Counted<S> {
  state: S;
  /** Work per block of `count / 10` events, in order. */
  work: number[];
  /** The state's entries at the end and half way. */
  size: number;
  midSize: number;
}

/** Folds `count` events from `gen`, counting work per tenth of them. */
function countedFold<S>(reducer: ReducerDefinition<S>, gen: Gen, count: number): Counted<S> {
  const e = stream(reducer.aggregateType, 'agg-1');
  let state = reducer.initialState('agg-1');
  const work: number[] = [];
  let midSize = 0;
  for (let i = 0; i < count; i++) {
    if (i === count / 2) midSize = built(undefined, state);
    if (i % (count / 10) === 0) work.push(0);
    const [type, payload] = gen(i);
    const next = reducer.reduce(state, e(type, payload, i));
    work[work.length - 1]! += built(state, next);
    state = next;
  }
  return { work, state, size: built(undefined, state), midSize };
}

// Each stream mixes what the aggregate meets in months of trading, anomalies included.
const positionEvents: Gen = (i) => {
  if (i === 0)
    return [
      'POSITION_OPENED',
      { position_id: 'agg-1', ticker: 'AAPL', side: 'long', quantity: 1e9, entry_price: 100, stop_loss_price: 90, take_profit_price: 120 },
    ];
  if (i % 97 === 0) return ['POSITION_OPENED', { position_id: 'agg-1', ticker: 'AAPL', side: 'long', quantity: 1, entry_price: 1 }]; // already_opened
  if (i % 11 === 0)
    return ['POSITION_INCREASED', { position_id: 'agg-1', quantity: 10, price: 100 + (i % 7), trade_id: `t${i}`, order_id: `o${i % 300}` }];
  if (i % 13 === 0)
    return ['POSITION_REDUCED', { position_id: 'agg-1', quantity: 5, price: 101, trade_id: `t${i}`, order_id: `o${i % 300}` }];
  if (i % 17 === 0) return ['POSITION_STOP_LOSS_MODIFIED', { position_id: 'agg-1', new_stop_loss_price: 90 + (i % 5) }];
  if (i % 19 === 0) return ['POSITION_TAKE_PROFIT_MODIFIED', { position_id: 'agg-1', new_take_profit_price: 120 + (i % 5) }];
  if (i % 23 === 0) return ['STOP_LOSS_TRIGGERED', { position_id: 'agg-1', trigger_price: 90, current_price: 89 }];
  return ['POSITION_PRICE_UPDATED', { position_id: 'agg-1', new_price: 100 + (i % 50) / 10, new_unrealized_pnl: 0 }];
};

const orderEvents: Gen = (i) => {
  if (i === 0) return ['ORDER_SUBMITTED', { order_id: 'agg-1', ticker: 'AAPL', side: 'buy', quantity: 1e12, order_type: 'market' }];
  if (i % 50 === 0) return ['ORDER_ACCEPTED', { order_id: 'agg-1' }]; // impossible after fills
  if (i % 71 === 0) return ['ORDER_PARTIALLY_FILLED', { order_id: 'agg-1', filled_quantity: 1, filled_price: 100, trade_id: `t${i - 1}` }]; // duplicate
  return [
    'ORDER_PARTIALLY_FILLED',
    { order_id: 'agg-1', filled_quantity: 1, filled_price: 100 + (i % 3), trade_id: `t${i}`, commission: 0.01 },
  ];
};

const signalEvents: Gen = () => ['SIGNAL_GENERATED', { signal_id: 'agg-1', ticker: 'AAPL', action: 'buy', confidence: 0.8 }];

const alertEvents: Gen = (i) => {
  if (i === 0) return ['ALERT_RECEIVED', { alert_id: 'agg-1', ticker: 'AAPL', headline: 'news' }];
  if (i % 29 === 0) return ['ALERT_SCORED', { alert_id: 'agg-1', score: 0.5 }]; // out of order after a decision
  if (i % 7 === 0) return ['ALERT_SENT_DISCORD', { alert_id: 'agg-1', channel: 'c', message_id: `m${i}` }];
  if (i % 5 === 0) return ['ALERT_TRADE_EXECUTED', { alert_id: 'agg-1', order_id: `o${i}` }];
  return ['ALERT_DECISION_MADE', { alert_id: 'agg-1', decision: 'wait', score: 0.4, min_score_threshold: 0.6 }];
};

const riskEvents: Gen = (i) => {
  if (i % 31 === 0) return ['CIRCUIT_BREAKER_RESET', { reason: 'manual' }]; // often while not tripped
  if (i % 37 === 0) return ['CIRCUIT_BREAKER_TRIGGERED', { reason: 'loss' }];
  if (i % 41 === 0) return ['POSITION_LIMIT_WARNING', { ticker: `T${i % 20}`, value: 9, limit: 10 }];
  if (i % 43 === 0) return ['DAILY_LOSS_LIMIT_EXCEEDED', { realized_pnl_today: -600, limit: 500 }];
  return [
    i % 3 === 0 ? 'RISK_CHECK_FAILED' : 'RISK_CHECK_PASSED',
    { check: `check_${i % 8}`, subject: `s${i}`, value: i % 100, limit: 50 },
  ];
};

// The third-party example too: snapshots, a day's P&L (a new day every 8 events), and invalid ones.
const portfolioEvents: Gen = (i) => {
  if (i % 53 === 0) return ['PORTFOLIO_SNAPSHOT_CREATED', { cash: 'n/a', equity: 1, positions: 0 }]; // invalid_snapshot
  if (i % 2 === 0) return ['PORTFOLIO_SNAPSHOT_CREATED', { cash: 1000, equity: 1000 + (i % 100), positions: 3 }];
  return [
    'DAILY_PNL_CALCULATED',
    {
      date: new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 8) * 86_400_000).toISOString().slice(0, 10),
      realized_pnl: 1,
      unrealized_pnl: 2,
    },
  ];
};

const cases: Array<[string, ReducerDefinition<unknown>, Gen]> = [
  ['position', positionReducer, positionEvents],
  ['order', orderReducer, orderEvents],
  ['signal', signalReducer, signalEvents],
  ['alert', alertReducer, alertEvents],
  ['risk', riskReducer, riskEvents],
  ['portfolio', portfolioReducer, portfolioEvents],
];

describe('reducers fold in linear work with bounded state', () => {
  it.each(cases)(
    '%s: the last 10k of 100k events cost the work of the second 10k, and the state stops growing',
    (_name, reducer, gen) => {
      const large = countedFold(reducer, gen, 100_000);
      const [, second, ...rest] = large.work;
      const last = rest.at(-1)!;
      // Linear: constant work per event once the windows are full. Growing histories: ~6x.
      expect(second).toBeGreaterThan(0);
      expect(last / second!).toBeLessThan(1.1);
      expect(last / second!).toBeGreaterThan(0.9);
      // Bounded: the state after 100k events has no more entries than after 50k (the windows are full at both;
      // the anomalies kept may be of other kinds, with other details).
      expect(large.size).toBeLessThanOrEqual(large.midSize * 1.01);
      expect((large.state as { anomalies: unknown[] }).anomalies.length).toBeLessThanOrEqual(ANOMALY_WINDOW);
      expect((large.state as { anomalies: unknown[] }).anomalies.length).toBeGreaterThan(0);
    },
    180_000,
  ); // 100k counted reducer calls: seconds on a quiet machine, more on a shared one

  it('a window keeps the latest entries, in order, and its size comes from the plugin options', () => {
    const gen: Gen = (i) =>
      i === 0
        ? ['POSITION_OPENED', { position_id: 'agg-1', ticker: 'AAPL', side: 'long', quantity: 10, entry_price: 100 }]
        : ['POSITION_PRICE_UPDATED', { position_id: 'agg-1', new_price: 100 + i, new_unrealized_pnl: 10 * i }];
    const options = parsePositionOptions({ priceHistoryWindow: 3, historyWindow: 2 });
    const { state } = countedFold(
      createPositionReducer({ priceHistory: options.priceHistoryWindow, history: options.historyWindow }),
      gen,
      1_000,
    );
    expect(state.price_history.map((p) => p.price)).toEqual([1097, 1098, 1099]);
    expect(state.current_price).toBe(1099);

    expect(parsePositionOptions({})).toMatchObject({ priceHistoryWindow: 50, historyWindow: 200 });
    expect(parseOrderOptions({})).toMatchObject({ historyWindow: 200 });
    expect(parseAlertOptions({})).toMatchObject({ historyWindow: 200 });
    expect(parseRiskOptions({})).toMatchObject({ recentFailuresWindow: 100, historyWindow: 200, snapshotEvery: 1_000 });
    expect(() => parsePositionOptions({ priceHistoryWindow: 0 })).toThrow(/pluginOptions\.position.*priceHistoryWindow/);
    expect(riskReducer).toMatchObject({ snapshotEvery: 1_000 });

    const orders = countedFold(createOrderReducer({ history: 5 }), orderEvents, 1_000).state as {
      fills: unknown[];
      trade_ids: string[];
      status_history: unknown[];
    };
    expect([orders.fills.length, orders.trade_ids.length, orders.status_history.length]).toEqual([5, 5, 5]);
    expect(orders.trade_ids.at(-1)).toBe('t999');
    const alert = countedFold(createAlertReducer({ history: 4 }), alertEvents, 1_000).state as { decisions: unknown[]; history: unknown[] };
    expect([alert.decisions.length, alert.history.length]).toEqual([4, 4]);
  });
});
