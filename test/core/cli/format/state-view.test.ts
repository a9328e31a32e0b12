import { describe, expect, it } from 'vitest';
import { stateView } from '../../../../src-core/cli/format/state-view';
import { inline } from '../../../../src-core/cli/format/value';

describe('stateView: a rebuilt state as a trader reads it', () => {
  const state = {
    position_id: 'p-1',
    realized_pnl: 18.95000000000027,
    quantity: 100,
    opened_at: Date.UTC(2025, 2, 3, 15, 3),
    exit_reason: null,
    price_history: [1, 2, 3, 4, 5].map((i) => ({ price: 10 + i / 10, timestamp: Date.UTC(2025, 2, 3, 15, i) })),
    order_ids: ['o-1'],
    fills: [],
  };

  it('puts scalars first, trims float noise, shows times in UTC and summarizes long histories', () => {
    expect(stateView(state)).toEqual([
      ['position_id', 'p-1'],
      ['realized_pnl', '18.95'],
      ['quantity', '100'],
      ['opened_at', '2025-03-03 15:03:00.000 UTC'],
      ['exit_reason', 'null'],
      ['price_history', '5 entries; last: {"price":10.5,"timestamp":1741014300000}'],
      ['order_ids[0]', 'o-1'],
    ]);
  });

  it('lists everything with full', () => {
    const rows = stateView(state, true);
    expect(rows.filter(([path]) => path.startsWith('price_history['))).toHaveLength(10);
    expect(rows).toContainEqual(['price_history[0].timestamp', '2025-03-03 15:01:00.000 UTC']);
    expect(rows).toContainEqual(['fills', '[]']);
  });

  it('inline JSON trims float noise too', () => {
    expect(inline({ pnl: -113.70000000000005 })).toBe('{"pnl":-113.7}');
  });
});
