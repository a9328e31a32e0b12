/**
 * The README's "use it in your bot" example, runnable: `npx tsx examples/quickstart/main.ts [db]`.
 * A broker adapter whose methods carry the order plugin's decorators; nothing in it knows
 * about events.
 */
import { createCatalyst } from 'catalyst-events';
import orderPlugin, { OrderHooks, type OrderFillInput, type OrderSubmitInput, type OrderState } from 'catalyst-events/plugins/order';

class Executor {
  @OrderHooks.submit() // ORDER_SUBMITTED before the call; ORDER_ACCEPTED / ORDER_REJECTED from its outcome
  submitOrder(order: OrderSubmitInput) {
    if (order.quantity > 10_000) throw Object.assign(new Error('exceeds buying power'), { code: 'buying_power' });
    return { ...order, status: 'accepted' as const, broker_order_id: `B-${order.order_id}` };
  }

  @OrderHooks.fill() // ORDER_PARTIALLY_FILLED or ORDER_FILLED, with cumulative quantity and average price
  onFill(fill: OrderFillInput) {
    return fill;
  }
}

const db = process.argv[2] ?? './data/quickstart.db';
const catalyst = await createCatalyst({ db }, { plugins: [orderPlugin] }); // the plugins this bot uses
const executor = catalyst.bind(new Executor()); // hooks this instance to this catalyst only

executor.submitOrder({ order_id: 'ord-1', ticker: 'AAPL', side: 'buy', quantity: 100, order_type: 'limit', limit_price: 150 });
executor.onFill({ order_id: 'ord-1', trade_id: 't-1', filled_quantity: 40, filled_price: 149.9, commission: 0.4 });
executor.onFill({ order_id: 'ord-1', trade_id: 't-2', filled_quantity: 60, filled_price: 150.0, commission: 0.6 });
try {
  executor.submitOrder({ order_id: 'ord-2', ticker: 'AAPL', side: 'buy', quantity: 50_000 });
} catch {
  // the bot sees its own error, unchanged; the log records ORDER_REJECTED with the reason
}

// Or emit directly: validated against the plugin's zod schema, appended, listeners notified.
executor.submitOrder({ order_id: 'ord-3', ticker: 'MSFT', side: 'sell', quantity: 10 });
catalyst.emitter.emit({
  event_type: 'ORDER_CANCELLED',
  aggregate_type: 'order',
  aggregate_id: 'ord-3',
  payload: { order_id: 'ord-3', reason: 'stale quote' },
});

const now = await catalyst.rebuilder.rebuild<OrderState>('order', 'ord-1');
const then = await catalyst.rebuilder.rebuild<OrderState>('order', 'ord-1', { asOfSequence: 3 }); // time travel
const rejected = await catalyst.rebuilder.rebuild<OrderState>('order', 'ord-2');
const cancelled = await catalyst.rebuilder.rebuild<OrderState>('order', 'ord-3');
console.log(
  JSON.stringify({
    now: { status: now.state.status, filled: now.state.filled_quantity, avg: now.state.avg_fill_price },
    then: { status: then.state.status, filled: then.state.filled_quantity },
    rejected: { status: rejected.state.status, reason: rejected.state.reject_reason },
    cancelled: { status: cancelled.state.status, anomalies: cancelled.state.anomalies.length },
  }),
);
await catalyst.close(); // flushes a buffered emitter, closes the file
