/**
 * The position plugin. Its decorators are re-exported here, so a bot imports them from
 * 'catalyst-events/plugins/position'. (Plugin object and register step: in progress.)
 */
export * from './decorators';
