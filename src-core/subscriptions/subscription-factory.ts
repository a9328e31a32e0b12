import type { CheckpointStore, EventReader } from '../store/types';
import { Subscription } from './subscription';
import type { SubscriptionOptions } from './types';

/** Builds subscriptions wired to the container's reader and, for checkpoints, its writable store. */
export class SubscriptionFactory {
  constructor(
    private readonly reader: EventReader,
    private readonly checkpoints: CheckpointStore,
  ) {}

  /**
   * A new {@link Subscription} over this factory's log and checkpoint store; nothing runs until
   * `start()` or `catchUp()`.
   * @throws {@link ConfigError} when the options are invalid (no name, both or neither
   * handler, batchSize below 1, negative pollIntervalMs).
   */
  create(options: SubscriptionOptions): Subscription {
    return new Subscription(options, { reader: this.reader, checkpoints: this.checkpoints });
  }
}
