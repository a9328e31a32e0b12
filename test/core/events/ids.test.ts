/**
 * UUIDv7 ids as the emitter makes them: the seed-valid UUID shape, version 7 and the RFC 9562
 * variant, the 48-bit millisecond time up front (so ids sort by time), and a 12-bit counter that
 * keeps ids made in the same millisecond in order.
 */
import { describe, expect, it } from 'vitest';
import { isUuid, UuidV7Generator } from '../../../src-core/events/ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timeOf = (id: string): number => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('UuidV7Generator', () => {
  it('writes the time, version, variant and counter where RFC 9562 puts them', () => {
    const ids = new UuidV7Generator();
    for (const ms of [0, 1, 0xffff, 0x10000, 1_767_225_600_123, 2 ** 47 + 12345, 2 ** 48 - 1]) {
      const id = ids.next(ms);
      expect(id).toMatch(V7);
      expect(isUuid(id)).toBe(true);
      expect(timeOf(id)).toBe(ms);
    }
  });

  it('orders ids made in the same millisecond, and never repeats one', () => {
    const ids = new UuidV7Generator();
    const made: string[] = [];
    for (let i = 0; i < 3000; i++) made.push(ids.next(1_767_225_600_000 + Math.floor(i / 1000)));
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    // the counter restarts with a new millisecond
    expect(made[1000]!.slice(14, 18)).toBe('7000');
    expect(made[1001]!.slice(14, 18)).toBe('7001');
  });

  it('spends fresh random bytes on every id (past its 4 KB pool)', () => {
    const ids = new UuidV7Generator();
    const tails = new Set<string>();
    for (let i = 0; i < 2000; i++) tails.add(ids.next(5).slice(19));
    expect(tails.size).toBe(2000);
  });
});
