/**
 * The order plugin: the `signal` and `order` aggregates. A bot imports its decorators from
 * 'catalyst-events/plugins/order'; the loader imports the default export.
 * Options (`pluginOptions.order`): `historyWindow` (default 200 entries in fills, trade ids, status history).
 *
 * `define` gives the catalogue's schemas and the two reducers (every session, read-only ones
 * too); `attach` gives the hook handlers and the live order states (a bot's session only).
 */
import type { DefineContext, PluginContext } from '../../src-core';
import type { CatalogedPlugin } from '../shared/catalogue';
import { ORDER_EVENTS, orderEventSchemas } from './events';
import { attachAccept } from './handlers/accept';
import { attachCancel } from './handlers/cancel';
import { OrderHandlers } from './handlers/context';
import { attachExpire } from './handlers/expire';
import { attachFill } from './handlers/fill';
import { attachGenerateSignal } from './handlers/generate-signal';
import { attachReject } from './handlers/reject';
import { attachSubmit } from './handlers/submit';
import { configuredOrderReducer, parseOrderOptions } from './options';
import { signalReducer } from './reducer';

export * from './decorators';
export * from './events';
export * from './options';
export * from './reducer';

/** The order plugin object: name it in the config's `plugins` (or pass it to `createCatalyst`). */
const orderPlugin = {
  name: 'order',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.2.0', // define and attach
  /** The catalogue, for `CatalogueOfPlugins` (typed emit). */
  events: ORDER_EVENTS,
  /**
   * Registers the signal and order event schemas and both reducers.
   * @throws {@link src-core!ConfigError} when `pluginOptions.order` is invalid.
   */
  define(ctx: DefineContext): void {
    const options = parseOrderOptions(ctx.options); // a bad option fails every session, read-only ones too
    for (const schema of orderEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(signalReducer);
    ctx.reducers.register(configuredOrderReducer(options));
  },
  /**
   * Attaches the hook handlers that turn decorated bot methods into events (write sessions only).
   * @throws {@link src-core!ConfigError} when `pluginOptions.order` is invalid.
   */
  attach(ctx: PluginContext): void {
    const h = new OrderHandlers(ctx, configuredOrderReducer(parseOrderOptions(ctx.options)));
    attachGenerateSignal(h);
    attachSubmit(h);
    attachAccept(h);
    attachFill(h);
    attachReject(h);
    attachCancel(h);
    attachExpire(h);
  },
} satisfies CatalogedPlugin;

export default orderPlugin;
