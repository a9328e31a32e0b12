import { ReadOnlyStoreError } from '../errors';
import { aggregateTypesOf, type CheckpointStore, type EventReader, type EventWriter, type SnapshotStore } from '../store/types';

/** What TOKENS.Store holds: the write and read sides of one log. */
export type CatalystStore = EventWriter &
  EventReader &
  SnapshotStore &
  CheckpointStore & {
    /** The SQLite file, where there is one. */
    readonly file?: string;
    /** Closes the log. On a {@link readOnlyStore} view it does nothing: whoever opened the log closes it. */
    close(): void;
  };

/**
 * THE read-only view of a log: reads go through (and a local store's synchronous reads,
 * which plugin history uses), every write refuses with ReadOnlyStoreError, and `close` is a
 * no-op: whoever opened the log closes it. What a plugin sees of the catalyst's store, what
 * a reader container gets over PostgreSQL, and what the viewer opens.
 */
export function readOnlyStore(reader: EventReader & Partial<SnapshotStore>): CatalystStore {
  const refuse = (operation: string) => (): never => {
    throw new ReadOnlyStoreError(operation);
  };
  const sync = reader as Partial<
    Record<'readAggregateSync' | 'readPageSync' | 'aggregateVersionSync' | 'headPositionSync' | 'streamAggregate', unknown>
  >;
  const view: CatalystStore = {
    get readOnly() {
      return reader.readOnly;
    },
    canWriteSnapshots: false,
    readAggregate: (type, id, range) => reader.readAggregate(type, id, range),
    readPage: (filter, page) => reader.readPage(filter, page),
    readByCorrelation: (id) => reader.readByCorrelation(id),
    getEvent: (id) => reader.getEvent(id),
    aggregateVersion: (type, id) => reader.aggregateVersion(type, id),
    listAggregates: (options) => reader.listAggregates(options),
    stats: () => reader.stats(),
    aggregateTypes: () => aggregateTypesOf(reader),
    headPosition: () => reader.headPosition(),
    loadSnapshot: (type, id) => (reader.loadSnapshot ? reader.loadSnapshot(type, id) : Promise.resolve(null)),
    saveSnapshot: refuse('saveSnapshot'),
    append: refuse('append'),
    appendBatch: refuse('appendBatch'),
    getCheckpoint: () => null,
    saveCheckpoint: refuse('saveCheckpoint'),
    close: () => undefined,
  };
  // A local store's synchronous reads stay available (plugin history folds with them, the rebuilder streams).
  for (const name of ['readAggregateSync', 'readPageSync', 'aggregateVersionSync', 'headPositionSync', 'streamAggregate'] as const) {
    const fn = sync[name];
    if (typeof fn === 'function')
      Object.assign(view, { [name]: (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(reader, args) });
  }
  return Object.freeze(view);
}
