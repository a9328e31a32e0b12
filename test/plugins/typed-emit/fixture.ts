/**
 * Compile-time proof of typed emit (checked by typed-emit.test.ts with tsc, and by the
 * project's typecheck): each `@ts-expect-error` line must fail to compile, every other line
 * must compile. Never run.
 */
import type { CatalogueOfPlugins, Emitter, TypedEmitter } from '../../../src-core';
import type alertPlugin from '../../../src-plugins/alert';
import type orderPlugin from '../../../src-plugins/order';
import type positionPlugin from '../../../src-plugins/position';
import type riskPlugin from '../../../src-plugins/risk';
import type portfolioPlugin from '../../../examples/portfolio-plugin';

type Catalogue = CatalogueOfPlugins<[typeof orderPlugin, typeof positionPlugin, typeof alertPlugin, typeof riskPlugin, typeof portfolioPlugin]>;

export function typedEmit(untyped: Emitter): void {
  // Any emitter is a typed one: the catalogue narrows what compiles, not what runs.
  const emitter: TypedEmitter<Catalogue> = untyped;

  emitter.emit({
    event_type: 'ORDER_FILLED',
    aggregate_type: 'order',
    aggregate_id: 'o-1',
    payload: { order_id: 'o-1', filled_quantity: 100, filled_price: 150.25 },
  });
  emitter.emit({
    event_type: 'POSITION_PRICE_UPDATED',
    aggregate_type: 'position',
    aggregate_id: 'p-1',
    payload: { position_id: 'p-1', new_price: 151, new_unrealized_pnl: 75 },
  });
  emitter.emit({ event_type: 'DAILY_PNL_CALCULATED', aggregate_type: 'portfolio', aggregate_id: 'acct', payload: { date: '2026-12-05', realized_pnl: 1, unrealized_pnl: 2 } });
  // Loose objects: keys the schema does not name are kept, so they compile.
  emitter.emit({ event_type: 'ALERT_SKIPPED', aggregate_type: 'alert', aggregate_id: 'a-1', payload: { alert_id: 'a-1', reason: null, extra: 1 } });

  // A typo in the event type.
  // @ts-expect-error 'ORDER_FILED' is not in the catalogue
  emitter.emit({ event_type: 'ORDER_FILED', aggregate_type: 'order', aggregate_id: 'o-1', payload: { order_id: 'o-1', filled_quantity: 100, filled_price: 150.25 } });

  // A payload key of the wrong type.
  // @ts-expect-error filled_quantity is a number
  emitter.emit({ event_type: 'ORDER_FILLED', aggregate_type: 'order', aggregate_id: 'o-1', payload: { order_id: 'o-1', filled_quantity: '100', filled_price: 150.25 } });

  // A required payload key missing.
  // @ts-expect-error filled_price is required
  emitter.emit({ event_type: 'ORDER_FILLED', aggregate_type: 'order', aggregate_id: 'o-1', payload: { order_id: 'o-1', filled_quantity: 100 } });

  // The wrong aggregate type for the event type.
  // @ts-expect-error ORDER_FILLED belongs to 'order'
  emitter.emit({ event_type: 'ORDER_FILLED', aggregate_type: 'position', aggregate_id: 'o-1', payload: { order_id: 'o-1', filled_quantity: 100, filled_price: 1 } });

  // A batch is checked event by event.
  emitter.emitBatch([
    { event_type: 'RISK_CHECK_PASSED', aggregate_type: 'risk', aggregate_id: 'book', payload: { check: 'max_notional' } },
    // @ts-expect-error CIRCUIT_BREAKER_TRIGGERED needs a reason
    { event_type: 'CIRCUIT_BREAKER_TRIGGERED', aggregate_type: 'risk', aggregate_id: 'book', payload: {} },
  ]);

  // The open path: a type outside the catalogue, named explicitly.
  emitter.emit<'MY_OWN_EVENT'>({ event_type: 'MY_OWN_EVENT', aggregate_type: 'mine', aggregate_id: 'x', payload: { anything: true } });
  // Named explicitly, a catalogued type is still checked.
  // @ts-expect-error the explicit type is ORDER_FILLED: its payload is checked
  emitter.emit<'ORDER_FILLED'>({ event_type: 'ORDER_FILLED', aggregate_type: 'order', aggregate_id: 'o-1', payload: { order_id: 'o-1' } });

  // The untyped emitter stays open to any type.
  untyped.emit({ event_type: 'ORDER_FILED', aggregate_type: 'order', aggregate_id: 'o-1', payload: {} });
}
