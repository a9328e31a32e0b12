import { describe, expect, it } from 'vitest';
import { SequenceChecker } from '../../../../src-core/cli/verify/sequence-check';

describe('SequenceChecker', () => {
  it('accepts 1..n in any arrival order', () => {
    const check = new SequenceChecker();
    for (const n of [3, 1, 2]) check.add('order', 'o1', n, `e${n}`);
    check.add('order', 'o2', 1, 'x');
    expect(check.problems()).toEqual([]);
    expect(check.aggregateCount).toBe(2);
  });

  it('reports gaps as ranges (also a missing first event), duplicates with their event ids, and unnumbered rows', () => {
    const check = new SequenceChecker();
    for (const n of [1, 2, 5, 7]) check.add('order', 'o1', n, `o1-${n}`);
    check.add('position', 'p1', 2, 'p1-2');
    check.add('signal', 's1', 1, 's1-a');
    check.add('signal', 's1', 1, 's1-b');
    check.add('alert', 'a1', null, 'a1-null');
    check.add('alert', 'a1', 0, 'a1-zero');
    expect(check.problems()).toEqual([
      { aggregate_type: 'order', aggregate_id: 'o1', kind: 'gap', detail: 'missing 3..4', event_ids: [] },
      { aggregate_type: 'order', aggregate_id: 'o1', kind: 'gap', detail: 'missing 6', event_ids: [] },
      { aggregate_type: 'position', aggregate_id: 'p1', kind: 'gap', detail: 'missing 1', event_ids: [] },
      { aggregate_type: 'signal', aggregate_id: 's1', kind: 'duplicate', detail: '1 appears 2 times', event_ids: ['s1-a', 's1-b'] },
      { aggregate_type: 'alert', aggregate_id: 'a1', kind: 'no_sequence', detail: '2 event(s) without a sequence number', event_ids: ['a1-null', 'a1-zero'] },
    ]);
  });
});
