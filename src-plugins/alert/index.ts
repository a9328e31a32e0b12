/**
 * The alert plugin: the `alert` aggregate. A bot imports its decorators from
 * 'catalyst-events/plugins/alert'; the loader imports the default export.
 */
import type { CatalystPlugin, PluginContext } from '../../src-core';
import { registerAlertHooks } from './decorators';
import { alertEventSchemas } from './events';
import { alertReducer } from './reducer';

export * from './decorators';
export * from './events';
export * from './reducer';

const alertPlugin: CatalystPlugin = {
  name: 'alert',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.0.0',
  register(ctx: PluginContext): void {
    for (const schema of alertEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(alertReducer);
    registerAlertHooks(ctx);
  },
};

export default alertPlugin;
