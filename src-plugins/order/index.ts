/**
 * The order plugin: the `signal` and `order` aggregates. A bot imports its decorators from
 * 'catalyst-events/plugins/order'; the loader imports the default export.
 */
import type { CatalystPlugin, PluginContext } from '../../src-core';
import { registerOrderHooks } from './decorators';
import { orderEventSchemas } from './events';
import { orderReducer, signalReducer } from './reducer';

export * from './decorators';
export * from './events';
export * from './reducer';

const orderPlugin: CatalystPlugin = {
  name: 'order',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.0.0',
  register(ctx: PluginContext): void {
    for (const schema of orderEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(signalReducer);
    ctx.reducers.register(orderReducer);
    registerOrderHooks(ctx);
  },
};

export default orderPlugin;
