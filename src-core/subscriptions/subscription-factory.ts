import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { TOKENS } from '../container/tokens';
import type { CheckpointStore, EventReader } from '../store/types';
import { Subscription } from './subscription';
import type { SubscriptionOptions } from './types';

/** Builds subscriptions wired to the container's reader and, for checkpoints, its writable store. */
@injectable()
export class SubscriptionFactory {
  constructor(
    @inject(TOKENS.EventReader) private readonly reader: EventReader,
    @inject(TOKENS.Store) private readonly checkpoints: CheckpointStore,
  ) {}

  create(options: SubscriptionOptions): Subscription {
    return new Subscription(options, { reader: this.reader, checkpoints: this.checkpoints });
  }
}
