import 'reflect-metadata';
import Database from 'better-sqlite3';
import { ManualClock } from '../../../src-core/clock/clock';
import { parseConfig } from '../../../src-core/config/config';
import type { ErrorReporter } from '../../../src-core/errors/reporter';
import { AsyncCausalContext } from '../../../src-core/causality/async-causal-context';
import { EventEmitter } from '../../../src-core/emitter/event-emitter';
import type { Emitter } from '../../../src-core/emitter/types';
import { UuidV7Generator } from '../../../src-core/events/ids';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import type { EventWriter } from '../../../src-core/store/types';
import { tempDir } from '../../support/temp';
import { gadgetMoved, widgetCreated, widgetPainted } from '../schema/widget-schemas';

export const T0 = Date.UTC(2025, 0, 2, 14, 30);

export interface Harness {
  emitter: Emitter;
  store: SqliteEventStore;
  file: string;
  clock: ManualClock;
  causal: AsyncCausalContext;
  reports: { error: unknown; context: { where: string; [key: string]: unknown } }[];
  /** Rows visible to a second, independent connection. */
  committedRows(): { event_id: string; event_type: string; payload: string; metadata: string }[];
  cleanup(): void;
}

/** A fresh container per test, wired the way the core's container wires it, on a temp SQLite file. */
export function harness(
  emitter: Record<string, unknown> = {},
  options: { busyTimeoutMs?: number; wrapStore?: (store: SqliteEventStore) => EventWriter } = {},
): Harness {
  const tmp = tempDir('catalyst-emitter-');
  const file = tmp.file('events.db');
  const clock = new ManualClock(T0);
  const store = SqliteEventStore.open({ file, clock, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
  const schemas = new SchemaRegistry();
  schemas.register(widgetCreated, 'widgets');
  schemas.register(widgetPainted, 'widgets');
  schemas.register(gadgetMoved, 'gadgets');
  const reports: Harness['reports'] = [];
  const reporter: ErrorReporter = { report: (error, context) => reports.push({ error, context }) };

  // Plain constructor arguments: tsyringe stays in the container.
  const causal = new AsyncCausalContext();
  const emitterInstance: Emitter = new EventEmitter(
    options.wrapStore ? options.wrapStore(store) : store,
    schemas,
    causal,
    clock,
    new UuidV7Generator(),
    reporter,
    parseConfig({ emitter }),
  );

  return {
    emitter: emitterInstance,
    store,
    file,
    clock,
    causal,
    reports,
    committedRows() {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT event_id, event_type, payload, metadata FROM event_log ORDER BY rowid').all() as ReturnType<
          Harness['committedRows']
        >;
      } finally {
        db.close();
      }
    },
    cleanup() {
      try {
        emitterInstance.close();
      } catch {
        // a test that broke the store on purpose
      }
      store.close();
      tmp.cleanup();
    },
  };
}

export function widget(id: string, overrides: Record<string, unknown> = {}) {
  return {
    event_type: 'WIDGET_CREATED',
    aggregate_type: 'widget',
    aggregate_id: id,
    payload: { widget_id: id, quantity: 1, side: 'left' as const, ...overrides },
  };
}

export function paint(id: string, color: string) {
  return { event_type: 'WIDGET_PAINTED', aggregate_type: 'widget', aggregate_id: id, payload: { widget_id: id, color } };
}
