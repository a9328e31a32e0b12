import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isClosedError, isConfigError } from '../../../src-core/errors';
import type { CorruptEvent, NewEvent, StoredEvent } from '../../../src-core/events/types';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { Subscription } from '../../../src-core/subscriptions/subscription';
import { SubscriptionFactory } from '../../../src-core/subscriptions/subscription-factory';
import type { SubscriptionOptions } from '../../../src-core/subscriptions/types';
import { tempDir } from '../../support/temp';
import { prepareEvent } from '../../../src-core/emitter/prepare';

let tmp: ReturnType<typeof tempDir>;
let file: string;
/** The bot's connection. */
let writer: SqliteEventStore;
/** The consumer's own connection to the same file, as in a separate process. */
let consumer: SqliteEventStore;

const tick = (i: number, type = 'TICK'): NewEvent => ({
  event_type: type,
  aggregate_type: 'clock',
  aggregate_id: `c${i % 3}`,
  payload: { i },
});
const ticks = (from: number, to: number, type?: string): NewEvent[] =>
  Array.from({ length: to - from + 1 }, (_, k) => tick(from + k, type));

beforeEach(() => {
  tmp = tempDir('catalyst-sub-');
  file = tmp.file('events.db');
  writer = SqliteEventStore.open({ file });
  consumer = SqliteEventStore.open({ file });
});
afterEach(() => {
  consumer.close();
  writer.close();
  tmp.cleanup();
});

function subscribe(options: Partial<SubscriptionOptions> & { seen?: number[] } = {}): { sub: Subscription; seen: number[] } {
  const seen = options.seen ?? [];
  const { seen: _ignored, ...rest } = options;
  const sub = new Subscription(
    {
      name: 'projection',
      batchSize: 4,
      pollIntervalMs: 5,
      ...(rest.handleBatch ? {} : { handle: (e: StoredEvent) => void seen.push(e.payload.i as number) }),
      ...rest,
    } as SubscriptionOptions,
    { reader: consumer, checkpoints: consumer },
  );
  return { sub, seen };
}

describe('Subscription', () => {
  it('catches up from the beginning in order, in batches, and saves its checkpoint', async () => {
    const stored = writer.appendBatch(ticks(1, 10).map((e) => prepareEvent(e)));
    const { sub, seen } = subscribe();
    const result = await sub.catchUp();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result).toEqual({ handled: 10, position: stored[9]!.position });
    expect(sub.stats()).toMatchObject({ handled: 10, batches: 3 });
    expect(writer.getCheckpoint('projection')).toBe(stored[9]!.position);
  });

  it('resumes where it stopped after a restart; names are independent', async () => {
    writer.appendBatch(ticks(1, 5).map((e) => prepareEvent(e)));
    await subscribe().sub.catchUp();
    writer.appendBatch(ticks(6, 8).map((e) => prepareEvent(e)));
    const again = subscribe();
    expect((await again.sub.catchUp()).handled).toBe(3);
    expect(again.seen).toEqual([6, 7, 8]);
    const other = subscribe({ name: 'notifier' });
    await other.sub.catchUp();
    expect(other.seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('follows new events written by another connection, and stop() ends it', async () => {
    writer.appendBatch(ticks(1, 3).map((e) => prepareEvent(e)));
    const { sub, seen } = subscribe();
    const running = sub.start();
    expect(sub.start()).toBe(running);
    await sub.waitForPosition(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(sub.state).toBe('running');

    const later = writer.appendBatch(ticks(4, 9).map((e) => prepareEvent(e)));
    await sub.waitForPosition(later[5]!.position);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

    // catchUp() while following waits for the loop rather than reading alongside it.
    writer.append(prepareEvent(tick(10)));
    await sub.catchUp();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    await sub.stop();
    await expect(running).resolves.toBeUndefined();
    expect(sub.state).toBe('stopped');
    writer.append(prepareEvent(tick(11)));
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toHaveLength(10);
    expect(writer.getCheckpoint('projection')).toBe(10);
  });

  it('stop() during a handler finishes that event, checkpoints it and delivers nothing more', async () => {
    const stored = writer.appendBatch(ticks(1, 8).map((e) => prepareEvent(e)));
    const seen: number[] = [];
    const { sub } = subscribe({
      handle: (e) => {
        seen.push(e.payload.i as number);
        if (e.payload.i === 2) void sub.stop();
      },
    });
    await sub.start();
    expect(seen).toEqual([1, 2]);
    expect(writer.getCheckpoint('projection')).toBe(stored[1]!.position);
    const waiter = subscribe().sub.waitForPosition(99);
    expect(await Promise.race([waiter.then(() => 'resolved'), new Promise((r) => setTimeout(() => r('pending'), 20))])).toBe('pending');
  });

  it('a filter delivers only matching events and still moves the checkpoint past the rest', async () => {
    writer.appendBatch([...ticks(1, 3, 'KEEP'), ...ticks(4, 9, 'DROP')].map((e) => prepareEvent(e)));
    const { sub, seen } = subscribe({ filter: { types: ['KEEP'] } });
    const result = await sub.catchUp();
    expect(seen).toEqual([1, 2, 3]);
    expect(result.position).toBe(9);
    expect(writer.getCheckpoint('projection')).toBe(9);
  });

  it("startAt 'head' skips history for a consumer without a checkpoint, and remembers that", async () => {
    writer.appendBatch(ticks(1, 4).map((e) => prepareEvent(e)));
    const { sub, seen } = subscribe({ startAt: 'head' });
    expect((await sub.catchUp()).handled).toBe(0);
    expect(writer.getCheckpoint('projection')).toBe(4);
    writer.append(prepareEvent(tick(5)));
    await sub.catchUp();
    expect(seen).toEqual([5]);
  });

  it('handleBatch gets whole batches; corrupt rows are reported, skipped, and passed by the checkpoint', async () => {
    writer.appendBatch(ticks(1, 2).map((e) => prepareEvent(e)));
    writer.connection
      .prepare(
        `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
                VALUES ('bad', 'TICK', 'clock', 'zz', '{oops', NULL, 1, 1)`,
      )
      .run();
    writer.appendBatch(ticks(4, 6).map((e) => prepareEvent(e)));
    const batches: number[][] = [];
    const corrupt: CorruptEvent[] = [];
    const { sub } = subscribe({
      batchSize: 3,
      handleBatch: (events) => void batches.push(events.map((e) => e.payload.i as number)),
      onCorrupt: (c) => void corrupt.push(c),
    });
    await sub.catchUp();
    expect(batches).toEqual([
      [1, 2],
      [4, 5, 6],
    ]);
    expect(corrupt.map((c) => [c.event_id, c.position])).toEqual([['bad', 3]]);
    expect(sub.position).toBe(6);
    expect(sub.stats()).toMatchObject({ corruptSkipped: 1, handled: 5 });
  });

  describe('handler errors', () => {
    it("default 'stop': the run rejects with the error; earlier events of the batch stay checkpointed", async () => {
      const stored = writer.appendBatch(ticks(1, 6).map((e) => prepareEvent(e)));
      const boom = new Error('projection down');
      const { sub } = subscribe({
        handle: (e) => {
          if (e.payload.i === 3) throw boom;
        },
      });
      const waiter = sub.waitForPosition(6);
      await expect(sub.start()).rejects.toBe(boom);
      await expect(waiter).rejects.toBe(boom);
      expect(sub.state).toBe('failed');
      expect(sub.error).toBe(boom);
      expect(writer.getCheckpoint('projection')).toBe(stored[1]!.position);
      // A fresh run delivers the failing event again (at-least-once).
      const again = subscribe();
      await again.sub.catchUp();
      expect(again.seen).toEqual([3, 4, 5, 6]);
    });

    it("'retry' re-delivers the failed event after the poll interval", async () => {
      writer.appendBatch(ticks(1, 3).map((e) => prepareEvent(e)));
      const calls: number[] = [];
      let failures = 0;
      const { sub } = subscribe({
        handle: (e) => {
          calls.push(e.payload.i as number);
          if (e.payload.i === 2 && failures++ < 2) throw new Error('flaky');
        },
        onError: () => 'retry',
      });
      await sub.catchUp();
      expect(calls).toEqual([1, 2, 2, 2, 3]);
      expect(sub.stats().handlerErrors).toBe(2);
    });

    it("'skip' moves past the failed event", async () => {
      writer.appendBatch(ticks(1, 3).map((e) => prepareEvent(e)));
      const errors: [string, number[]][] = [];
      const { sub, seen } = subscribe({
        handle: (e) => {
          if (e.payload.i === 2) throw new Error('poison');
          seen.push(e.payload.i as number);
        },
        onError: (error, events) => {
          errors.push([(error as Error).message, events.map((e) => e.payload.i as number)]);
          return 'skip';
        },
      });
      await sub.catchUp();
      expect(seen).toEqual([1, 3]);
      expect(errors).toEqual([['poison', [2]]]);
      expect(sub.position).toBe(3);
    });

    it("a failing batch with 'retry' is handled again as a whole", async () => {
      writer.appendBatch(ticks(1, 4).map((e) => prepareEvent(e)));
      const batches: number[][] = [];
      let failed = false;
      const { sub } = subscribe({
        batchSize: 2,
        handleBatch: (events) => {
          batches.push(events.map((e) => e.payload.i as number));
          if (events[0]!.payload.i === 3 && !failed) {
            failed = true;
            throw new Error('tx aborted');
          }
        },
        onError: () => 'retry',
      });
      await sub.catchUp();
      expect(batches).toEqual([
        [1, 2],
        [3, 4],
        [3, 4],
      ]);
    });
  });

  it('stop() rejects pending waiters with ClosedError', async () => {
    const { sub } = subscribe();
    void sub.start();
    const waiter = sub.waitForPosition(50);
    await sub.stop();
    await expect(waiter).rejects.toSatisfy(isClosedError);
  });

  const invalid: [string, object][] = [
    ['no name', { name: '', handle: () => undefined }],
    ['no handler', { name: 'x' }],
    ['both handlers', { name: 'x', handle: () => undefined, handleBatch: () => undefined }],
    ['zero batch', { name: 'x', handle: () => undefined, batchSize: 0 }],
  ];
  it.each(invalid)('rejects options with %s as a ConfigError', (_name, options) => {
    expect(() => new Subscription(options as SubscriptionOptions, { reader: consumer, checkpoints: consumer })).toThrow(
      expect.objectContaining({ code: 'CONFIG' }),
    );
    try {
      new Subscription(options as SubscriptionOptions, { reader: consumer, checkpoints: consumer });
    } catch (e) {
      expect(isConfigError(e)).toBe(true);
    }
  });

  it('SubscriptionFactory wires a reader and a checkpoint store', async () => {
    writer.appendBatch(ticks(1, 2).map((e) => prepareEvent(e)));
    const seen: number[] = [];
    const sub = new SubscriptionFactory(consumer, consumer).create({
      name: 'via-di',
      handle: (e) => void seen.push(e.payload.i as number),
    });
    await sub.catchUp();
    expect(seen).toEqual([1, 2]);
    expect(writer.getCheckpoint('via-di')).toBe(2);
  });
});
