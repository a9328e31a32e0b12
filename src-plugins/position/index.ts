/**
 * The position plugin: the `position` aggregate. A bot imports its decorators from
 * 'catalyst-events/plugins/position'; the loader imports the default export.
 * Options (`pluginOptions.position`): `priceThreshold` (default 0.001 = 0.1 %),
 * `priceHistoryWindow` (default 50 points in `price_history`; the full series is in the log), `historyWindow` (default 200
 * entries in fills, trade / order ids, stop and take-profit histories, triggers).
 *
 * `define` gives the catalogue's schemas and the reducer (every session, read-only ones
 * too); `attach` gives the hook handlers and the live position states (a bot's session only).
 */
import type { DefineContext, PluginContext } from '../../src-core';
import type { CatalogedPlugin } from '../shared/catalogue';
import { POSITION_EVENTS, positionEventSchemas } from './events';
import { attachClose } from './handlers/close';
import { PositionHandlers } from './handlers/context';
import { attachFill } from './handlers/fill';
import { attachModifyStop } from './handlers/modify-stop';
import { attachModifyTakeProfit } from './handlers/modify-take-profit';
import { attachOpen } from './handlers/open';
import { attachTriggerStop } from './handlers/trigger-stop';
import { attachTriggerTakeProfit } from './handlers/trigger-take-profit';
import { attachUpdatePrice } from './handlers/update-price';
import { configuredPositionReducer, parsePositionOptions } from './options';

export * from './decorators';
export * from './events';
export * from './options';
export * from './reducer';

/** The position plugin object: name it in the config's `plugins` (or pass it to `createCatalyst`). */
const positionPlugin = {
  name: 'position',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.2.0', // define and attach
  /** The catalogue, for `CatalogueOfPlugins` (typed emit). */
  events: POSITION_EVENTS,
  /**
   * Registers the position event schemas and the reducer.
   * @throws {@link src-core!ConfigError} when `pluginOptions.position` is invalid.
   */
  define(ctx: DefineContext): void {
    const options = parsePositionOptions(ctx.options); // a bad option fails every session, read-only ones too
    for (const schema of positionEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(configuredPositionReducer(options));
  },
  /**
   * Attaches the hook handlers that turn decorated bot methods into events (write sessions only).
   * @throws {@link src-core!ConfigError} when `pluginOptions.position` is invalid.
   */
  attach(ctx: PluginContext): void {
    const options = parsePositionOptions(ctx.options);
    const h = new PositionHandlers(ctx, configuredPositionReducer(options), options);
    attachOpen(h);
    attachFill(h);
    attachUpdatePrice(h);
    attachModifyStop(h);
    attachModifyTakeProfit(h);
    attachTriggerStop(h);
    attachTriggerTakeProfit(h);
    attachClose(h);
  },
} satisfies CatalogedPlugin;

export default positionPlugin;
