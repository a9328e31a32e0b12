/**
 * A reducer's snapshot policy hint, carried on its ReducerDefinition object. The core's
 * snapshot policy is global (`snapshots.every`, taken when an aggregate is rebuilt); an
 * aggregate that lives for ever (the risk book) also needs snapshots while the bot writes,
 * so its rebuild stays bounded. Proposed for the core's ReducerDefinition (core-wiring):
 * the rebuilder uses `snapshotEvery ?? config.snapshots.every`, and a write session
 * snapshots an aggregate of such a reducer when its sequence number reaches a multiple of
 * it (folding from the previous snapshot: at most `snapshotEvery` events).
 */
export interface SnapshotPolicy {
  /** Snapshot this aggregate type every N events (N >= 1). */
  readonly snapshotEvery?: number;
}
