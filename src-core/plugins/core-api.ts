/**
 * The version of the API plugins are written against (the core's public barrel). A plugin
 * declares the semver range it needs in `coreApi`; the loader refuses one that does not
 * accept this version. Bump the major on a breaking change to PluginContext or the hooks.
 */
/** 1.1: PluginContext gained reader, history and chains (plugins rehydrate after a restart). */
/** 1.2: a plugin may split `register` into `define` (schemas, reducers) and `attach` (hooks, live state). */
export const CORE_API_VERSION = '1.2.0';
