import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalyst, type Catalyst } from '../../src-core/container/create-catalyst';
import { isValidationError, type ValidationError } from '../../src-core/errors';
import type { NewEvent } from '../../src-core/events/types';
import { MAX_ID_LENGTH } from '../../src-core/schema/envelope';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { querySchemas } from '../../src-desktop/main/query-schemas';
import { tempDir } from '../support/temp';
import { prepared } from '../support/prepared-event';
import { z } from 'zod';
import type { CatalystPlugin } from '../../src-core/plugins/types';

/** One event type, registered the way a third party would (independent of the built-in plugins). */
const riskCheck: CatalystPlugin = {
  name: 'hardening-risk',
  version: '1.0.0',
  coreApi: '^1.0.0',
  register(ctx) {
    ctx.schemas.register({
      eventType: 'RISK_CHECK_PASSED',
      aggregateType: 'risk',
      version: '1.0',
      payload: z.looseObject({ check: z.string(), reason: z.string(), limit: z.number().optional(), detail: z.unknown().optional() }),
    });
  },
};

/** Issue 18, items 2, 8 (a 5 MiB aggregate id; a throwing getter): refused at emit, nothing written. */
let opened: { catalyst: Catalyst; cleanup(): void } | null = null;
afterEach(async () => {
  await opened?.catalyst.close();
  opened?.cleanup();
  opened = null;
});

async function open() {
  const tmp = tempDir('catalyst-hardening-emit-');
  const catalyst = await createCatalyst(
    { db: tmp.file('events.db'), emitter: { mode: 'sync', handleSignals: false } },
    { plugins: [riskCheck] },
  );
  opened = { catalyst, cleanup: () => tmp.cleanup() };
  const store = catalyst.store as unknown as SqliteEventStore;
  const rows = () => store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck().get() as number;
  return { catalyst, rows };
}

const check = (aggregate_id: string, payload: Record<string, unknown> = { check: 'max_position', reason: 'ok' }): NewEvent => ({
  event_type: 'RISK_CHECK_PASSED',
  aggregate_type: 'risk',
  aggregate_id,
  payload,
});

function refusal(fn: () => unknown): ValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isValidationError(caught), String(caught)).toBe(true);
  return caught as ValidationError;
}

describe('lone surrogates (item 2)', () => {
  it('an aggregate id with a lone surrogate is a ValidationError naming aggregate_id, and nothing is written', async () => {
    const { catalyst, rows } = await open();
    for (const id of ['agg-\ud800', 'agg-\udbff', '\udc00tail']) {
      const error = refusal(() => catalyst.emitter.emit(check(id)));
      expect(error.issues.map((i) => i.path)).toContain('aggregate_id');
      expect(error.issues.find((i) => i.path === 'aggregate_id')!.message).toMatch(/lone surrogate/);
    }
    expect(rows()).toBe(0);
    // A proper surrogate pair (an emoji) is fine, and stays distinct.
    catalyst.emitter.emit(check('agg-😀'));
    catalyst.emitter.emit(check('agg-😁'));
    expect(rows()).toBe(2);
  });

  it('in a payload value, a payload key or a metadata id it is refused too, with the path', async () => {
    const { catalyst, rows } = await open();
    expect(refusal(() => catalyst.emitter.emit(check('r', { check: 'x', reason: 'bad \ud800' }))).issues[0]!.path).toBe('payload.reason');
    expect(refusal(() => catalyst.emitter.emit(check('r', { check: 'x', reason: 'ok', ['k\udfff']: 1 }))).issues[0]!.path).toBe(
      'payload.k\udfff',
    );
    const meta = refusal(() => catalyst.emitter.emit({ ...check('r'), metadata: { correlation_id: 'c-\ud83d' } }));
    expect(meta.issues.map((i) => i.path)).toContain('metadata.correlation_id');
    expect(rows()).toBe(0);
  });
});

describe('one maximum id length (items 2 and 8: a 5 MiB aggregate id)', () => {
  it(`ids up to ${MAX_ID_LENGTH} characters are written; longer ones (5 MiB included) are a ValidationError`, async () => {
    const { catalyst, rows } = await open();
    catalyst.emitter.emit(check('a'.repeat(MAX_ID_LENGTH)));
    expect(rows()).toBe(1);
    for (const id of ['a'.repeat(MAX_ID_LENGTH + 1), 'x'.repeat(5 * 1024 * 1024)]) {
      const error = refusal(() => catalyst.emitter.emit(check(id)));
      expect(error.issues[0]).toMatchObject({
        path: 'aggregate_id',
        message: expect.stringContaining(`longer than ${MAX_ID_LENGTH}`) as unknown,
      });
    }
    const longType = refusal(() => catalyst.emitter.emit({ ...check('r'), event_type: 'E'.repeat(MAX_ID_LENGTH + 1) }));
    expect(longType.issues.map((i) => i.path)).toContain('event_type');
    expect(
      refusal(() => catalyst.emitter.emit({ ...check('r'), metadata: { correlation_id: 'c'.repeat(MAX_ID_LENGTH + 1) } })).issues[0]!.path,
    ).toBe('metadata.correlation_id');
    expect(rows()).toBe(1);
  });

  it('the store refuses a longer id on its own (a script writing through it directly)', () => {
    const tmp = tempDir('catalyst-hardening-store-id-');
    const store = SqliteEventStore.open({ file: tmp.file('events.db') });
    try {
      const event = { event_type: 'RISK_CHECK_PASSED', aggregate_type: 'risk', aggregate_id: 'x'.repeat(MAX_ID_LENGTH + 1), payload: {} };
      expect(() => store.append(prepared(event))).toThrow(/aggregate_id|longer than 512/);
      store.append(prepared({ ...event, aggregate_id: 'x'.repeat(MAX_ID_LENGTH) }));
    } finally {
      store.close();
      tmp.cleanup();
    }
  });

  it('the viewer queries exactly the ids the emitter accepts: the same maximum', () => {
    const at = { aggregateType: 'risk', aggregateId: 'a'.repeat(MAX_ID_LENGTH) };
    expect(querySchemas.rebuild.safeParse(at).success).toBe(true);
    expect(querySchemas.replay.safeParse({ ...at, aggregateId: at.aggregateId + 'a' }).success).toBe(false);
    expect(querySchemas.trace.safeParse({ correlationId: 'c'.repeat(MAX_ID_LENGTH) }).success).toBe(true);
  });
});

describe('the CLI shares the maximum (item 2)', () => {
  it(`show and --aggregate refuse an id over ${MAX_ID_LENGTH} characters with a usage error; one at the maximum is looked up`, () => {
    const tmp = tempDir('catalyst-hardening-cli-id-');
    try {
      const file = tmp.file('events.db');
      SqliteEventStore.open({ file }).close();
      const root = join(import.meta.dirname, '../..');
      const bin = existsSync(join(root, 'src-desktop/cli/bin.mjs')) ? 'src-desktop/cli/bin.mjs' : 'src-core/cli/bin.mjs';
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, [join(root, bin), ...args, '--db', file], { encoding: 'utf8', timeout: 60_000 });
      const long = 'x'.repeat(MAX_ID_LENGTH + 1);
      for (const result of [cli('show', 'order', long), cli('events', '--aggregate', `order:${long}`), cli('trace', long)]) {
        expect(result.status).toBe(2);
        expect(result.stderr).toContain(`ids are at most ${MAX_ID_LENGTH}`);
      }
      const atMax = cli('events', '--aggregate', `order:${'x'.repeat(MAX_ID_LENGTH)}`);
      expect(atMax.stderr).not.toContain('ids are at most');
      expect(atMax.status).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('a payload with a throwing getter (item 8)', () => {
  it('is a ValidationError naming the field, never a raw Error, and nothing is written', async () => {
    const { catalyst, rows } = await open();
    const payload = { check: 'max_position', reason: 'ok' } as Record<string, unknown>;
    Object.defineProperty(payload, 'limit', {
      enumerable: true,
      get() {
        throw new Error('boom from a getter');
      },
    });
    const error = refusal(() => catalyst.emitter.emit(check('r', payload)));
    expect(error.issues.some((i) => i.path === 'payload.limit' && /boom from a getter/.test(i.message))).toBe(true);
    const nested = {
      check: 'x',
      reason: 'y',
      detail: new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('trap');
          },
        },
      ),
    };
    expect(refusal(() => catalyst.emitter.emit(check('r', nested))).issues.some((i) => i.path.startsWith('payload.detail'))).toBe(true);
    expect(rows()).toBe(0);
  });
});
