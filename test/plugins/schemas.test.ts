/**
 * The four plugins' schemas, through the core's schema registry: every event the seed's bot
 * writes (its exact keys, its value types: ISO strings, None, False) validates; our additions
 * get their documented defaults; JSON Schema and Markdown generate for all of them.
 */
import { describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../src-core/schema/schema-registry';
import { alertEventSchemas } from '../../src-plugins/alert/events';
import { orderEventSchemas } from '../../src-plugins/order/events';
import { positionEventSchemas } from '../../src-plugins/position/events';
import { riskEventSchemas } from '../../src-plugins/risk/events';

function registry(): SchemaRegistry {
  const r = new SchemaRegistry();
  for (const [owner, list] of [
    ['order', orderEventSchemas],
    ['position', positionEventSchemas],
    ['alert', alertEventSchemas],
    ['risk', riskEventSchemas],
  ] as const) {
    for (const s of list) r.register(s, owner);
  }
  return r;
}

const META = { source: 'seed', correlation_id: null, causation_id: null, user_id: null, version: '1.0' };

/** Payloads with exactly the keys the seed (Phase B / C code, or the catalogue) writes. */
const SEED: Array<[eventType: string, aggregateType: string, payload: Record<string, unknown>, defaults?: Record<string, unknown>]> = [
  [
    'SIGNAL_GENERATED',
    'signal',
    { signal_id: 's1', ticker: 'AAPL', action: 'buy', confidence: 0.8, reasoning: 'fda', timeframe: '1d', source_alert_id: 'a1' },
    { inputs: {}, quantity: null },
  ],
  [
    'ORDER_SUBMITTED',
    'order',
    {
      order_id: 'o1',
      signal_id: 's1',
      ticker: 'AAPL',
      side: 'buy',
      quantity: 100,
      order_type: 'market',
      limit_price: null,
      stop_price: null,
      extended_hours: false,
    },
    { time_in_force: 'day', expected_price: null },
  ],
  [
    'ORDER_SUBMITTED',
    'order',
    {
      order_id: 'o2',
      signal_id: 's2',
      ticker: 'TSLA',
      side: 'short',
      quantity: 5,
      order_type: 'limit',
      limit_price: 240.5,
      stop_price: null,
      extended_hours: true,
    },
  ],
  ['ORDER_ACCEPTED', 'order', { order_id: 'o1', broker_order_id: 'b1', accepted_at: '2025-01-02T14:30:00' }],
  [
    'ORDER_PARTIALLY_FILLED',
    'order',
    { order_id: 'o1', filled_quantity: 40, filled_price: 10, fill_time: 1735828200000, liquidity: 'maker' },
    { commission: 0, cumulative_quantity: null, leaves_quantity: null },
  ],
  [
    'ORDER_FILLED',
    'order',
    { order_id: 'o1', filled_quantity: 100, filled_price: 150.27, fill_time: '2025-01-02T14:30:02', slippage: 0.27, liquidity: null },
    { commission: 0, last_fill_quantity: null },
  ],
  [
    'ORDER_REJECTED',
    'order',
    { order_id: 'o1', reject_reason: 'insufficient_buying_power', broker_message: 'APIError', rejected_at: '2025-01-02T14:30:00.123456' },
  ],
  ['ORDER_CANCELLED', 'order', { order_id: 'o1', reason: 'stale', cancelled_at: '2025-01-02T15:00:00' }],
  ['ORDER_EXPIRED', 'order', { order_id: 'o1', expired_at: '2025-01-02T21:00:00' }],
  [
    'POSITION_OPENED',
    'position',
    {
      position_id: 'p1',
      ticker: 'AAPL',
      side: 'long',
      quantity: 100,
      entry_price: 150.27,
      signal_id: 's1',
      stop_loss_price: 145,
      take_profit_price: null,
      cost_basis: 15027,
    },
    { commission: 0, trade_id: null },
  ],
  [
    'POSITION_PRICE_UPDATED',
    'position',
    { position_id: 'p1', old_price: 150.27, new_price: 151.1, old_unrealized_pnl: 0, new_unrealized_pnl: 83, price_source: 'market_data' },
  ],
  ['POSITION_STOP_LOSS_MODIFIED', 'position', { position_id: 'p1', old_stop_loss_price: 145, new_stop_loss_price: 148, reason: 'trail' }],
  [
    'POSITION_TAKE_PROFIT_MODIFIED',
    'position',
    { position_id: 'p1', old_take_profit_price: 160, new_take_profit_price: 165, reason: 'extend' },
  ],
  ['STOP_LOSS_TRIGGERED', 'position', { position_id: 'p1', trigger_price: 148, current_price: 147.9 }],
  ['TAKE_PROFIT_TRIGGERED', 'position', { position_id: 'p1', trigger_price: 165, current_price: 165.2 }],
  [
    'POSITION_CLOSED',
    'position',
    {
      position_id: 'p1',
      ticker: 'AAPL',
      side: 'long',
      exit_reason: 'timeout',
      exit_price: 151,
      entry_price: 150.27,
      quantity: 100,
      realized_pnl: 73,
      hold_duration_seconds: 297,
      return_pct: 0.48,
    },
    { commission: 0 },
  ],
  ['ALERT_RECEIVED', 'alert', { alert_id: 'a1', ticker: 'AAPL', headline: 'x', source: 'rss', received_at: '2025-01-02T14:29:00' }],
  ['ALERT_RATE_LIMITED', 'alert', { alert_id: 'a1', ticker: 'AAPL', limit: 5, window_seconds: 60 }],
  [
    'ALERT_CLASSIFIED',
    'alert',
    {
      alert_id: 'a1',
      ticker: 'AAPL',
      catalyst_type: 'fda',
      score: 0.8,
      keywords_matched: ['fda'],
      confidence: 0.9,
      sentiment_sources: { finbert: 0.7 },
      classification_version: '1.0',
    },
  ],
  ['ALERT_SCORED', 'alert', { alert_id: 'a1', score: 0.8, components: { keywords: 0.5 } }],
  [
    'ALERT_DECISION_MADE',
    'alert',
    { alert_id: 'a1', decision: 'skip', reasoning: 'low', score: 0.4, min_score_threshold: 0.7, override_flags: [], signal_id: null },
    { reason_code: null },
  ],
  ['ALERT_SENT_DISCORD', 'alert', { alert_id: 'a1', channel: 'alerts', message_id: '123' }],
  ['ALERT_TRADE_EXECUTED', 'alert', { alert_id: 'a1', signal_id: 's1', order_id: 'o1' }],
  ['ALERT_SKIPPED', 'alert', { alert_id: 'a1', reason: 'below threshold' }],
  ['RISK_CHECK_PASSED', 'risk', { check: 'max_size', subject: 's1', value: 100, limit: 500, reason: null }],
  [
    'RISK_CHECK_FAILED',
    'risk',
    { check: 'market_hours', subject: 'o1', value: 'closed', limit: 'open', reason: 'market closed' },
    { reason_code: null },
  ],
  ['POSITION_LIMIT_WARNING', 'risk', { ticker: 'AAPL', value: 9000, limit: 10000 }],
  ['POSITION_LIMIT_EXCEEDED', 'risk', { ticker: 'AAPL', value: 11000, limit: 10000 }],
  ['DAILY_LOSS_LIMIT_WARNING', 'risk', { realized_pnl_today: -800, limit: 1000 }],
  ['DAILY_LOSS_LIMIT_EXCEEDED', 'risk', { realized_pnl_today: -1200, limit: 1000 }],
  ['CIRCUIT_BREAKER_TRIGGERED', 'risk', { reason: 'daily loss', until: '2025-01-03T14:30:00' }],
  ['CIRCUIT_BREAKER_RESET', 'risk', { reason: 'new day', until: null }],
];

describe('plugin schemas', () => {
  it('cover the catalogue: 8 order/signal, 7 + 2 (ours) position, 8 alert, 8 risk', () => {
    expect(orderEventSchemas).toHaveLength(8);
    expect(positionEventSchemas.map((s) => s.eventType).sort()).toEqual(
      [
        'POSITION_OPENED',
        'POSITION_INCREASED',
        'POSITION_REDUCED',
        'POSITION_PRICE_UPDATED',
        'POSITION_STOP_LOSS_MODIFIED',
        'POSITION_TAKE_PROFIT_MODIFIED',
        'STOP_LOSS_TRIGGERED',
        'TAKE_PROFIT_TRIGGERED',
        'POSITION_CLOSED',
      ].sort(),
    );
    expect(alertEventSchemas).toHaveLength(8);
    expect(riskEventSchemas).toHaveLength(8);
    const covered = new Set(SEED.map(([t]) => t));
    expect(covered.size).toBe(8 + 7 + 8 + 8);
  });

  it.each(SEED)('%s accepts what the seed writes and applies our defaults', (eventType, aggregateType, payload, defaults = {}) => {
    const out = registry().validate({ event_type: eventType, aggregate_type: aggregateType, aggregate_id: 'x', payload, metadata: META });
    expect(out).toMatchObject(payload); // every seed key kept as written
    expect(out).toMatchObject(defaults);
  });

  it('keeps unknown keys and rejects what is wrong, naming the path', () => {
    const r = registry();
    const kept = r.validate({
      event_type: 'ORDER_FILLED',
      aggregate_type: 'order',
      aggregate_id: 'o1',
      payload: { order_id: 'o1', filled_quantity: 1, filled_price: 1, venue: 'IEX' },
      metadata: META,
    });
    expect(kept.venue).toBe('IEX');
    expect(() =>
      r.validate({
        event_type: 'ORDER_SUBMITTED',
        aggregate_type: 'order',
        aggregate_id: 'o1',
        payload: { order_id: 'o1', ticker: 'A', side: 'hold', quantity: -1, order_type: 'market' },
        metadata: META,
      }),
    ).toThrow(/payload\.side[\s\S]*payload\.quantity|payload\.quantity[\s\S]*payload\.side/);
    expect(() =>
      r.validate({
        event_type: 'POSITION_CLOSED',
        aggregate_type: 'position',
        aggregate_id: 'p1',
        payload: { position_id: 'p1', exit_price: 1, realized_pnl: 0, hold_duration_seconds: 1 },
        metadata: META,
      }),
    ).toThrow(/payload\.exit_reason/);
  });

  it('our position events validate', () => {
    const r = registry();
    expect(
      r.validate({
        event_type: 'POSITION_INCREASED',
        aggregate_type: 'position',
        aggregate_id: 'p1',
        payload: { position_id: 'p1', quantity: 10, price: 11, trade_id: 't2' },
        metadata: META,
      }),
    ).toMatchObject({ commission: 0, order_id: null });
    expect(
      r.validate({
        event_type: 'POSITION_REDUCED',
        aggregate_type: 'position',
        aggregate_id: 'p1',
        payload: { position_id: 'p1', quantity: 10, price: 12 },
        metadata: META,
      }),
    ).toMatchObject({ realized_pnl: null, trade_id: null });
  });

  it('generate JSON Schema and Markdown for every event type', () => {
    const r = registry();
    const json = JSON.stringify(r.toJsonSchema());
    const markdown = r.toMarkdown();
    for (const s of r.list()) {
      expect(json).toContain(s.eventType);
      expect(markdown).toContain(s.eventType);
    }
  });
});
