import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';

describe("the README's quick-start example", () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('runs as written and records what the README says it records', () => {
    const db = tmp.file('quickstart.db');
    const out = execFileSync('node_modules/.bin/tsx', ['examples/quickstart/main.ts', db], { encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({
      now: { status: 'filled', filled: 100, avg: 149.96 },
      then: { status: 'partially_filled', filled: 40 },
      rejected: { status: 'rejected', reason: 'buying_power' },
      cancelled: { status: 'cancelled', anomalies: 0 },
    });
    const store = SqliteEventStore.open({ file: db, readOnly: true });
    const types = store.readAggregateSync('order', 'ord-1').map((e) => e.event_type);
    expect(types).toEqual(['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_PARTIALLY_FILLED', 'ORDER_FILLED']);
    expect(store.readAggregateSync('order', 'ord-2').map((e) => e.event_type)).toEqual(['ORDER_SUBMITTED', 'ORDER_REJECTED']);
    store.close();
  });
});
