import { describe, expect, it } from 'vitest';
import { isCliUsageError } from '../../../src-core/cli/errors';
import { collectList, parseAggregateRef, parseCount, parseTime } from '../../../src-core/cli/options';

const NOW = Date.UTC(2025, 2, 3, 15, 0, 0);

describe('CLI option parsing', () => {
  it('reads times as Unix ms, ISO 8601 (a zone-less time is UTC) or an age before now', () => {
    expect(parseTime('1741014000000', '--since', NOW)).toBe(1741014000000);
    expect(parseTime('2025-03-03', '--since', NOW)).toBe(Date.UTC(2025, 2, 3));
    expect(parseTime('2025-03-03T14:30:00', '--since', NOW)).toBe(Date.UTC(2025, 2, 3, 14, 30));
    expect(parseTime('2025-03-03 14:30:00.250', '--since', NOW)).toBe(Date.UTC(2025, 2, 3, 14, 30, 0, 250));
    expect(parseTime('2025-03-03T14:30:00+01:00', '--since', NOW)).toBe(Date.UTC(2025, 2, 3, 13, 30));
    expect(parseTime('15m', '--since', NOW)).toBe(NOW - 15 * 60_000);
    expect(parseTime('1.5h', '--since', NOW)).toBe(NOW - 90 * 60_000);
    expect(parseTime('2d', '--since', NOW)).toBe(NOW - 2 * 86_400_000);
  });

  it('refuses what is not a time, with the option named', () => {
    for (const bad of ['yesterday', '03/03/2025', '2025-13-45', '', '-5m']) {
      let error: unknown;
      try {
        parseTime(bad, '--until', NOW);
      } catch (e) {
        error = e;
      }
      expect(isCliUsageError(error), bad).toBe(true);
      expect((error as Error).message).toMatch(/^--until '.*' is not a time/);
    }
  });

  it('counts are whole numbers within bounds', () => {
    expect(parseCount('0', '--limit')).toBe(0);
    expect(parseCount(' 25 ', '--limit')).toBe(25);
    expect(() => parseCount('0', '--as-of-seq', 1)).toThrow("--as-of-seq '0' must be a whole number >= 1");
    expect(() => parseCount('2.5', '--limit')).toThrow('must be a whole number');
    expect(() => parseCount('1e3', '--limit')).toThrow('must be a whole number');
    expect(() => parseCount('99999999999999999999', '--limit')).toThrow('must be a whole number');
  });

  it('TYPE:ID splits at the first colon; lists collect across repeats and commas', () => {
    expect(parseAggregateRef('order:ord-1')).toEqual({ aggregateType: 'order', aggregateId: 'ord-1' });
    expect(parseAggregateRef('portfolio:desk:eu')).toEqual({ aggregateType: 'portfolio', aggregateId: 'desk:eu' });
    for (const bad of ['order', ':x', 'order:']) expect(() => parseAggregateRef(bad)).toThrow('must be TYPE:ID');
    expect(collectList('C', collectList('A, B,', []))).toEqual(['A', 'B', 'C']);
  });
});
