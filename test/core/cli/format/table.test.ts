import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { flatten } from '../../../../src-core/cli/format/flatten';
import { layoutColumns, renderTable } from '../../../../src-core/cli/format/table';
import { formatBytes, formatDuration } from '../../../../src-core/cli/format/time';
import { payloadPreview } from '../../../../src-core/cli/format/value';

const plain = pc.createColors(false);

describe('CLI formatting', () => {
  it('columns take their natural width up to a cap; the flexible one gets the rest of the line', () => {
    const columns = [
      { header: 'ID', align: 'right' as const },
      { header: 'NAME', max: 6 },
      { header: 'NOTE', flex: true, min: 4 },
    ];
    const rows = [['7', 'a-very-long-name', 'x'.repeat(100)], { span: '── day ──' }];
    expect(layoutColumns(columns, rows, 40)).toEqual([2, 6, 28]);
    const text = renderTable(columns, rows, 40, plain);
    expect(text.split('\n')).toEqual(['ID  NAME    NOTE', ' 7  a-ver…  ' + 'x'.repeat(27) + '…', '── day ──', '']);
  });

  it('a state flattens to one path per leaf, empty containers kept', () => {
    expect(flatten({ status: 'open', fills: [{ qty: 5, price: 1.5 }], tags: [], meta: {}, note: 'two words', gone: undefined })).toEqual([
      ['status', 'open'],
      ['fills[0].qty', '5'],
      ['fills[0].price', '1.5'],
      ['tags', '[]'],
      ['meta', '{}'],
      ['note', '"two words"'],
    ]);
  });

  it('payload previews drop the key that repeats the aggregate id, and nulls', () => {
    const preview = payloadPreview({
      position: 1,
      event_id: 'e',
      event_type: 'ORDER_SUBMITTED',
      aggregate_type: 'order',
      aggregate_id: 'o1',
      sequence_number: 1,
      created_at: 0,
      payload: { order_id: 'o1', ticker: 'AAPL', limit_price: null, reason: 'two\nlines', legs: [1, 2] },
      metadata: { source: 's', correlation_id: null, causation_id: null, user_id: null, version: '1.0' },
    });
    expect(preview).toBe('ticker=AAPL reason="two\\nlines" legs=[1,2]');
  });

  it('durations and sizes read at a glance', () => {
    expect([
      formatDuration(12),
      formatDuration(1250),
      formatDuration(65_000),
      formatDuration(3_725_000),
      formatDuration(90_000_000),
    ]).toEqual(['12ms', '1.250s', '1m 05s', '1h 02m', '1d 1h']);
    expect([formatBytes(900), formatBytes(442_368), formatBytes(5 * 1024 ** 3)]).toEqual(['900 B', '432 KB', '5.0 GB']);
  });
});
