/** The viewer's own injection tokens (the core's are in src-core/container/tokens.ts). */
export const VIEWER_TOKENS = {
  /** ViewerSource: which file, which backend, which plugins, which transport. */
  Source: Symbol.for('catalyst.viewer.Source'),
  /** ViewerProbe: data_version polling and the corrupt-row finder for the open backend. */
  Probe: Symbol.for('catalyst.viewer.Probe'),
  ViewerService: Symbol.for('catalyst.viewer.ViewerService'),
} as const;
