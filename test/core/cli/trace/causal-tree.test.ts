import { describe, expect, it } from 'vitest';
import type { EventRecord, StoredEvent } from '../../../../src-core/events/types';
import { causalTree } from '../../../../src-core/cli/trace/causal-tree';

function event(id: string, position: number, cause: string | null = null): StoredEvent {
  return {
    position,
    event_id: id,
    event_type: `E_${id.toUpperCase()}`,
    aggregate_type: 'thing',
    aggregate_id: 't1',
    sequence_number: position,
    created_at: position * 1000,
    payload: {},
    metadata: { source: 'test', correlation_id: 'c', causation_id: cause, user_id: null, version: '1.0' },
  };
}

const shape = (records: EventRecord[]) => causalTree(records).map((l) => `${l.prefix}${l.record.event_id}@${l.depth}`);

describe('causalTree', () => {
  it('a chain reads straight down; only a branching event indents its effects', () => {
    const records = [
      event('a', 1),
      event('b', 2, 'a'),
      event('c', 3, 'b'),
      event('d', 4, 'c'),
      event('e', 5, 'd'),
      event('f', 6, 'c'),
      event('g', 7, 'f'),
      event('h', 8, 'e'),
      event('i', 9, 'e'),
    ];
    expect(shape(records)).toEqual(['a@0', 'b@1', 'c@2', '├─ d@3', '│  e@4', '│  ├─ h@5', '│  └─ i@5', '└─ f@3', '   g@4']);
  });

  it('keeps log order among siblings and roots whatever order the input came in', () => {
    const records = [event('late', 5, 'root'), event('other', 2), event('root', 1), event('early', 3, 'root')];
    expect(shape(records)).toEqual(['root@0', '├─ early@1', '└─ late@1', 'other@0']);
    expect(causalTree(records).map((l) => l.tree)).toEqual([0, 0, 0, 1]);
  });

  it('an event whose cause is outside the set is a root; corrupt rows and cycles do not break it', () => {
    const corrupt: EventRecord = {
      corrupt: true,
      position: 4,
      event_id: 'bad',
      event_type: 'E_BAD',
      aggregate_type: 'thing',
      aggregate_id: 't1',
      sequence_number: 4,
      created_at: 4000,
      field: 'metadata',
      raw_payload: '{}',
      raw_metadata: '{',
      error: 'Unexpected end',
    };
    const records = [event('x', 1, 'elsewhere'), event('p', 2, 'q'), event('q', 3, 'p'), corrupt];
    const lines = causalTree(records);
    expect(lines.map((l) => l.record.event_id)).toEqual(['x', 'bad', 'p', 'q']);
    expect(lines.find((l) => l.record.event_id === 'x')!.parent).toBeNull();
    expect(lines.find((l) => l.record.event_id === 'q')!.parent).toBe('p');
  });

  it('a long chain does not exhaust the stack', () => {
    const records = [event('n0', 1)];
    for (let i = 1; i < 50_000; i++) records.push(event(`n${i}`, i + 1, `n${i - 1}`));
    const lines = causalTree(records);
    expect(lines).toHaveLength(50_000);
    expect(lines.at(-1)).toMatchObject({ depth: 49_999, prefix: '' });
  });
});
