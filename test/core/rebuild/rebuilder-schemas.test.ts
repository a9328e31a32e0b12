import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TOKENS } from '../../../src-core/container/tokens';
import type { Rebuilder } from '../../../src-core/rebuild/rebuilder';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { harness, LEDGER, type LedgerState } from './ledger-fixture';
import { prepareEvent } from '../../../src-core/emitter/prepare';

let tmp: ReturnType<typeof tempDir>;
let store: SqliteEventStore;
beforeEach(() => {
  tmp = tempDir('catalyst-rebuild-schemas-');
  store = SqliteEventStore.open({ file: tmp.file('events.db') });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('Rebuilder with the real SchemaRegistry', () => {
  it('folds events written under an old schema version after upcasting them', async () => {
    const schemas = new SchemaRegistry();
    schemas.register(
      {
        eventType: 'DEPOSITED',
        aggregateType: LEDGER,
        version: '2.0',
        payload: z.object({ amount: z.number() }),
        // 1.0 stored cents; 2.0 stores units.
        upcasters: [{ fromVersion: '1.0', toVersion: '2.0', up: (p) => ({ amount: Number(p.amount_cents) / 100 }) }],
      },
      'ledger-plugin',
    );
    store.appendBatch(
      [
        {
          event_type: 'DEPOSITED',
          aggregate_type: LEDGER,
          aggregate_id: 'a',
          payload: { amount_cents: 250 },
          metadata: { version: '1.0' },
        },
        { event_type: 'DEPOSITED', aggregate_type: LEDGER, aggregate_id: 'a', payload: { amount: 1 }, metadata: { version: '2.0' } },
      ].map((e) => prepareEvent(e)),
    );
    const { container } = harness(store, { schemas });
    const rebuilder = container.resolve<Rebuilder>(TOKENS.Rebuilder);
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'a');
    expect(result.state.balance).toBe(3.5);
    expect(result.lastEvent?.metadata.version).toBe('2.0');
    const replay = await rebuilder.steps<LedgerState>(LEDGER, 'a');
    expect(replay.steps[0]!.event.payload).toEqual({ amount: 2.5 });
    expect(replay.steps[0]!.event.metadata.version).toBe('2.0');
  });
});
