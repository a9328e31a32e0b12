import type { CheckpointStore, EventReader } from '../store/types';
import { Subscription } from './subscription';
import type { SubscriptionOptions } from './types';

/** Builds subscriptions wired to the container's reader and, for checkpoints, its writable store. */
export class SubscriptionFactory {
  constructor(
    private readonly reader: EventReader,
    private readonly checkpoints: CheckpointStore,
  ) {}

  create(options: SubscriptionOptions): Subscription {
    return new Subscription(options, { reader: this.reader, checkpoints: this.checkpoints });
  }
}
