/**
 * The position plugin: the `position` aggregate. A bot imports its decorators from
 * 'catalyst-events/plugins/position'; the loader imports the default export.
 * Options (`pluginOptions.position`): `priceThreshold` (default 0.001 = 0.1 %).
 */
import type { CatalystPlugin, PluginContext } from '../../src-core';
import { registerPositionHooks } from './decorators';
import { positionEventSchemas } from './events';
import { positionReducer } from './reducer';

export * from './decorators';
export * from './events';
export * from './reducer';

const positionPlugin: CatalystPlugin = {
  name: 'position',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.0.0',
  register(ctx: PluginContext): void {
    for (const schema of positionEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(positionReducer);
    registerPositionHooks(ctx);
  },
};

export default positionPlugin;
