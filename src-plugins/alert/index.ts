/**
 * The alert plugin: the `alert` aggregate. A bot imports its decorators from
 * 'catalyst-events/plugins/alert'; the loader imports the default export.
 * Options (`pluginOptions.alert`): `historyWindow` (default 200 entries in history, decisions, posts, order ids).
 *
 * `define` gives the catalogue's schemas and the reducer (every session, read-only ones
 * too); `attach` gives the hook handlers (a bot's session only).
 */
import type { DefineContext, PluginContext } from '../../src-core';
import type { CatalogedPlugin } from '../shared/catalogue';
import { ALERT_EVENTS, alertEventSchemas } from './events';
import { attachClassify } from './handlers/classify';
import { AlertHandlers } from './handlers/context';
import { attachDecide } from './handlers/decide';
import { attachRateLimit } from './handlers/rate-limit';
import { attachReceive } from './handlers/receive';
import { attachScore } from './handlers/score';
import { attachSend } from './handlers/send';
import { attachSkip } from './handlers/skip';
import { attachTradeExecuted } from './handlers/trade-executed';
import { configuredAlertReducer, parseAlertOptions } from './options';

export * from './decorators';
export * from './events';
export * from './options';
export * from './reducer';

/** The alert plugin object: name it in the config's `plugins` (or pass it to `createCatalyst`). */
const alertPlugin = {
  name: 'alert',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.2.0', // define and attach
  /** The catalogue, for `CatalogueOfPlugins` (typed emit). */
  events: ALERT_EVENTS,
  /**
   * Registers the alert event schemas and the reducer.
   * @throws {@link src-core!ConfigError} when `pluginOptions.alert` is invalid.
   */
  define(ctx: DefineContext): void {
    const options = parseAlertOptions(ctx.options); // a bad option fails every session, read-only ones too
    for (const schema of alertEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(configuredAlertReducer(options));
  },
  /** Attaches the hook handlers that turn decorated bot methods into events (write sessions only). */
  attach(ctx: PluginContext): void {
    const h = new AlertHandlers(ctx);
    attachReceive(h);
    attachRateLimit(h);
    attachClassify(h);
    attachScore(h);
    attachDecide(h);
    attachSend(h);
    attachSkip(h);
    attachTradeExecuted(h);
  },
} satisfies CatalogedPlugin;

export default alertPlugin;
