import 'reflect-metadata';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_IN_PLUGINS } from '../support/builtin-plugins';
import { createCatalyst, type Catalyst } from '../../src-core/container/create-catalyst';
import { isValidationError, type ValidationIssue } from '../../src-core/errors';
import type { NewEvent } from '../../src-core/events/types';
import { MAX_METADATA_BYTES, MAX_PAYLOAD_BYTES } from '../../src-core/schema/json-safety';
import type { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../support/temp';
import { payloadModel, type PayloadModel } from './support/json-schema-arbitrary';
import { HEAVY, runSeed } from './support/random';
import { recordResults } from './support/results';

/**
 * Property tests over every event schema the four built-in plugins register, driven
 * through the real emitter of a real container: each malformed event is refused with a
 * ValidationError naming the bad field's path, and not one row reaches the file.
 */
const seed = runSeed();
const RUNS = HEAVY ? 5000 : 600;
const tried: Record<string, number> = {};
const rejected: Record<string, number> = {};
let acceptedRoundTrips = 0;
afterAll(() =>
  recordResults('bad-input', {
    seed,
    malformedTried: Object.values(tried).reduce((a, b) => a + b, 0),
    malformedRejected: Object.values(rejected).reduce((a, b) => a + b, 0),
    byCategory: Object.fromEntries(
      Object.keys(tried)
        .sort()
        .map((k) => [k, `${rejected[k] ?? 0}/${tried[k]}`]),
    ),
    validRoundTrips: acceptedRoundTrips,
  }),
);

const BUILT_IN_OWNERS = ['order', 'position', 'alert', 'risk'];

async function open(mode: 'sync' | 'buffered'): Promise<{ catalyst: Catalyst; rows: () => number; cleanup: () => Promise<void> }> {
  const tmp = tempDir('catalyst-bad-input-');
  // A bot's catalyst with the four built-in plugins (the core has no default list).
  const catalyst = await createCatalyst(
    { db: tmp.file('events.db'), emitter: { mode, handleSignals: false, flushIntervalMs: 1 } },
    { plugins: BUILT_IN_PLUGINS },
  );
  const store = catalyst.store as unknown as SqliteEventStore;
  const count = store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck();
  return {
    catalyst,
    rows: () => count.get() as number,
    cleanup: async () => {
      await catalyst.close();
      tmp.cleanup();
    },
  };
}

/** What a mutation produced, and which path(s) the refusal must name. */
interface BadCase {
  category: string;
  event: unknown;
  /** Some issue must have exactly this path (or, with `orElement`, name an element inside it). */
  path: string;
  /** A wrong value whose own elements are what the schema refuses (`[0]` for a list of strings): zod names the element. */
  orElement?: true;
  /** Every issue's path must start with this (default: `path`'s top-level field). */
  within?: string;
}

const copy = <T>(value: T): T => structuredClone(value);

function event(model: PayloadModel, payload: unknown, extra: Partial<NewEvent> = {}): Record<string, unknown> {
  return {
    event_type: model.definition.eventType,
    aggregate_type: model.definition.aggregateType,
    aggregate_id: 'agg-1',
    payload,
    ...extra,
  };
}

/** Values JSON cannot carry, and where the walk will report them relative to where they sit. */
const unrepresentable = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  'BigInt',
  'cycle',
  'function',
  'symbol',
  'Date',
  'Map',
  'Set',
  'class',
  'undefined-in-array',
);

function makeUnrepresentable(kind: string, root: Record<string, unknown>): { value: unknown; suffix: string } {
  switch (kind) {
    case 'NaN':
      return { value: Number.NaN, suffix: '' };
    case 'Infinity':
      return { value: Number.POSITIVE_INFINITY, suffix: '' };
    case '-Infinity':
      return { value: Number.NEGATIVE_INFINITY, suffix: '' };
    case 'BigInt':
      return { value: 10n ** 20n, suffix: '' };
    case 'cycle': {
      const loop: Record<string, unknown> = { note: 'x' };
      loop.self = loop;
      return { value: loop, suffix: '.self' };
    }
    case 'function':
      return { value: () => 1, suffix: '' };
    case 'symbol':
      return { value: Symbol('s'), suffix: '' };
    case 'Date':
      return { value: new Date(0), suffix: '' };
    case 'Map':
      return { value: new Map([['a', 1]]), suffix: '' };
    case 'Set':
      return { value: new Set([1]), suffix: '' };
    case 'class':
      return {
        value: new (class Price {
          constructor(readonly v = 1) {}
        })(),
        suffix: '',
      };
    case 'undefined-in-array':
      return { value: [1, undefined], suffix: '[1]' };
    default:
      return { value: root, suffix: '' }; // 'cycle-root': the payload contains itself
  }
}

const wrongValue = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

const notAnObject = fc.oneof(
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.string(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(new Date(0)),
  fc.constant(new Map()),
);

function badCases(model: PayloadModel, registered: ReadonlySet<string>): fc.Arbitrary<BadCase>[] {
  const { definition } = model;
  const v = model.valid;
  const cases: fc.Arbitrary<BadCase>[] = [];
  if (model.required.length > 0) {
    cases.push(
      fc.tuple(v, fc.constantFrom(...model.required)).map(([p, key]) => {
        const payload = copy(p);
        delete payload[key];
        return { category: 'missing required key', event: event(model, payload), path: `payload.${key}` };
      }),
    );
  }
  if (model.typedKeys.length > 0) {
    cases.push(
      fc
        .constantFrom(...model.typedKeys)
        .chain((key) =>
          fc.tuple(
            v,
            fc.constant(key),
            wrongValue.filter((w) => !model.shape[key]!.safeParse(w).success),
          ),
        )
        .map(([p, key, wrong]) => ({
          category: 'wrong type',
          event: event(model, { ...copy(p), [key]: wrong }),
          // zod may name a nested element (payload.keywords_matched[0]); never another field.
          path: `payload.${key}`,
          orElement: true as const,
          within: `payload.${key}`,
        })),
    );
  }
  const keys = Object.keys(model.shape);
  cases.push(
    fc
      .tuple(
        v,
        fc.oneof(fc.constantFrom(...keys), fc.constant('x_extra')),
        fc.constantFrom('direct', 'nested', 'in-array'),
        fc.oneof(unrepresentable, fc.constant('cycle-root')),
      )
      .map(([p, key, placement, kind]) => {
        const payload = copy(p);
        const { value, suffix } = makeUnrepresentable(kind, payload);
        // A cycle back to the payload itself is reported where the reference sits.
        let path = `payload.${key}`;
        if (placement === 'direct') payload[key] = value;
        else if (placement === 'nested') {
          payload[key] = { inner: value };
          path += '.inner';
        } else {
          payload[key] = [0, value];
          path += '[1]';
        }
        return { category: 'not representable in JSON', event: event(model, payload), path: path + suffix, within: `payload.${key}` };
      }),
  );
  cases.push(
    fc.tuple(v, fc.integer({ min: 1, max: 4096 })).map(([p, over]) => ({
      category: 'oversized payload',
      event: event(model, { ...copy(p), x_blob: 'b'.repeat(MAX_PAYLOAD_BYTES + over) }),
      path: 'payload',
    })),
  );
  cases.push(
    fc
      .tuple(
        v,
        fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 10 })).filter((t) => !registered.has(t)),
      )
      .map(([p, type]) => ({ category: 'unknown event type', event: { ...event(model, copy(p)), event_type: type }, path: 'event_type' })),
  );
  cases.push(
    fc
      .tuple(v, fc.oneof(fc.integer(), fc.constant(null), fc.constant(undefined), fc.array(fc.string(), { maxLength: 1 })))
      .map(([p, type]) => ({
        category: 'event type not a string',
        event: { ...event(model, copy(p)), event_type: type },
        path: 'event_type',
      })),
  );
  cases.push(
    fc
      .tuple(
        v,
        fc.string({ minLength: 1, maxLength: 12 }).filter((t) => t !== definition.aggregateType),
      )
      .map(([p, type]) => ({
        category: 'wrong aggregate type',
        event: event(model, copy(p), { aggregate_type: type }),
        path: 'aggregate_type',
      })),
  );
  cases.push(notAnObject.map((payload) => ({ category: 'payload not an object', event: event(model, payload), path: 'payload' })));
  cases.push(
    fc
      .tuple(
        v,
        fc.oneof(
          fc.record({
            field: fc.constant('aggregate_id'),
            value: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null), fc.constant({})),
          }),
          // (null in an optional envelope field means "absent": the emitter fills the default.)
          fc.record({ field: fc.constant('event_id'), value: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant({})) }),
          fc.record({
            field: fc.constant('created_at'),
            value: fc.oneof(
              fc.integer({ max: -1 }),
              fc.double({ min: 0.1, max: 1e12, noInteger: true }),
              fc.constant(Number.NaN),
              fc.string({ maxLength: 4 }),
              fc.constant(new Date(0)),
            ),
          }),
          fc.record({
            field: fc.constant('expected_version'),
            value: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 10, noInteger: true }), fc.string({ maxLength: 3 })),
          }),
        ),
      )
      .map(([p, { field, value }]) => ({ category: `bad ${field}`, event: { ...event(model, copy(p)), [field]: value }, path: field })),
  );
  cases.push(
    fc
      .tuple(
        v,
        fc.oneof(
          fc.record({ path: fc.constant('metadata'), metadata: notAnObject.filter((m) => m !== undefined) }),
          fc.record({
            path: fc.constant('metadata.correlation_id'),
            metadata: fc.record({ correlation_id: fc.oneof(fc.integer(), fc.boolean(), fc.constant({})) }),
          }),
          fc.record({
            path: fc.constant('metadata.version'),
            metadata: fc.record({ version: fc.oneof(fc.integer(), fc.constant('9.9'), fc.constant({})) }),
          }),
          fc.record({ path: fc.constant('metadata.source'), metadata: fc.record({ source: fc.oneof(fc.constant(''), fc.integer()) }) }),
          fc.record({
            path: fc.constant('metadata.run'),
            metadata: fc.record({ run: fc.constantFrom(Number.NaN, 1n, Number.POSITIVE_INFINITY) }),
          }),
          fc.record({ path: fc.constant('metadata'), metadata: fc.constant({ note: 'm'.repeat(MAX_METADATA_BYTES + 1) }) }),
        ),
      )
      .map(([p, { path, metadata }]) => ({
        category: 'bad metadata',
        event: { ...event(model, copy(p)), metadata },
        path,
        within: 'metadata',
      })),
  );
  return cases;
}

const notEvents = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.integer(), fc.array(fc.integer(), { maxLength: 2 }));

function topLevel(path: string): string {
  return path.split(/[.[]/)[0]!;
}

describe.each(['sync', 'buffered'] as const)('malformed events through the %s emitter of a real catalyst', (mode) => {
  it(`are refused with the bad field's path, and zero rows are written (${RUNS} runs)`, async () => {
    const { catalyst, rows, cleanup } = await open(mode);
    try {
      const definitions = catalyst.schemas.list();
      expect([...new Set(definitions.map((d) => d.owner))].sort()).toEqual([...BUILT_IN_OWNERS].sort());
      const registered = new Set(definitions.map((d) => d.eventType));
      const models = definitions.map(payloadModel);
      const arbitrary = fc.oneof(
        {
          weight: 12,
          arbitrary: fc
            .constantFrom(...models)
            .chain((model) => fc.tuple(fc.constant(model.definition.eventType), fc.oneof(...badCases(model, registered)), fc.boolean())),
        },
        {
          weight: 1,
          arbitrary: notEvents.map((value): readonly [null, BadCase, false] => [
            null,
            { category: 'not an event object', event: value, path: '' },
            false,
          ]),
        },
      );
      const modelOf = new Map(models.map((m) => [m.definition.eventType, m]));
      fc.assert(
        fc.property(arbitrary, fc.context(), ([eventType, bad, inBatch], ctx) => {
          const model = eventType === null ? undefined : modelOf.get(eventType);
          tried[bad.category] = (tried[bad.category] ?? 0) + 1;
          // Compared with this run's own start, so a shrunk counterexample is the real culprit.
          const rowsBefore = rows();
          const depthBefore = catalyst.emitter.metrics().queueDepth;
          let error: unknown;
          try {
            if (inBatch && model) {
              // One bad event among good ones: the whole batch is refused.
              const good = (payload: unknown) => event(model, payload, { aggregate_id: 'agg-good' });
              const sample = fc.sample(model.valid, { numRuns: 1, seed: 1 })[0];
              catalyst.emitter.emitBatch([good(sample), bad.event, good(sample)] as NewEvent[]);
            } else {
              catalyst.emitter.emit(bad.event as NewEvent);
            }
          } catch (caught) {
            error = caught;
          }
          ctx.log(`${bad.category}: expected ${bad.path}; got ${JSON.stringify((error as { issues?: unknown })?.issues ?? String(error))}`);
          expect(isValidationError(error)).toBe(true);
          const issues = (error as { issues: ValidationIssue[] }).issues;
          const names = (path: string) =>
            path === bad.path || (bad.orElement === true && (path.startsWith(`${bad.path}[`) || path.startsWith(`${bad.path}.`)));
          expect(
            issues.some((i) => names(i.path)),
            `no issue names ${bad.path}: ${issues.map((i) => i.path).join(', ')}`,
          ).toBe(true);
          const within = bad.within ?? topLevel(bad.path);
          for (const issue of issues) expect(issue.path.startsWith(within), `${issue.path} outside ${within}`).toBe(true);
          for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
          expect(catalyst.emitter.metrics().queueDepth).toBe(depthBefore);
          expect(rows()).toBe(rowsBefore);
          rejected[bad.category] = (rejected[bad.category] ?? 0) + 1;
        }),
        { seed, numRuns: RUNS },
      );
      catalyst.emitter.flush();
      expect(rows()).toBe(0);
      // Every category was exercised, not just the easy ones.
      expect(Object.keys(tried).length).toBeGreaterThanOrEqual(12);
    } finally {
      await cleanup();
    }
  });
});

describe('valid events for every schema (with extra keys, any unicode)', () => {
  it('are accepted and read back exactly as written', async () => {
    const { catalyst, rows, cleanup } = await open('sync');
    try {
      const models = catalyst.schemas.list().map(payloadModel);
      const extras = fc.dictionary(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 6 }).map((k) => `x_${k}`),
          fc.constant('__proto__'),
        ),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
        { maxKeys: 3 },
      );
      const store = catalyst.store as unknown as SqliteEventStore;
      const byId = store.connection.prepare('SELECT payload FROM event_log WHERE event_id = ?').pluck();
      fc.assert(
        fc.property(fc.constantFrom(...models), fc.context(), (model, ctx) => {
          const [payload, extra] = fc.sample(fc.tuple(model.valid, extras), { numRuns: 1, seed: rows() + seed })[0]!;
          // Built the way JSON.parse builds it: a "__proto__" key is data, not a prototype.
          const input = JSON.parse(JSON.stringify({ ...payload })) as Record<string, unknown>;
          for (const [k, value] of Object.entries(extra))
            Object.defineProperty(input, k, {
              value: JSON.parse(JSON.stringify(value ?? null)),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          const before = rows();
          const receipt = catalyst.emitter.emit(event(model, input) as unknown as NewEvent);
          ctx.log(JSON.stringify(input));
          expect(rows()).toBe(before + 1);
          const stored = JSON.parse(byId.get(receipt.event_id) as string) as Record<string, unknown>;
          expect(stored).toEqual(JSON.parse(JSON.stringify(receipt.stored!.payload)));
          // The writer's own keys, extra ones included, are all there with their values.
          for (const key of Object.keys(input)) expect(Object.hasOwn(stored, key), key).toBe(true);
          for (const [key, value] of Object.entries(input)) expect(stored[key], key).toEqual(value);
          acceptedRoundTrips++;
        }),
        { seed, numRuns: HEAVY ? 2000 : 300 },
      );
    } finally {
      await cleanup();
    }
  });
});

describe('size limits sit exactly where documented', () => {
  it(`a payload of ${MAX_PAYLOAD_BYTES} bytes of JSON is written; one byte more is refused`, async () => {
    const { catalyst, rows, cleanup } = await open('sync');
    try {
      const base = { check: 'size' };
      // What gets written is the schema's output (defaults added): the limit applies to that.
      const written = catalyst.schemas.validate({
        event_type: 'RISK_CHECK_PASSED',
        aggregate_type: 'risk',
        aggregate_id: 'r',
        payload: { ...base, blob: '' },
      });
      const overhead = Buffer.byteLength(JSON.stringify(written));
      const at = { ...base, blob: 'a'.repeat(MAX_PAYLOAD_BYTES - overhead) };
      catalyst.emitter.emit({ event_type: 'RISK_CHECK_PASSED', aggregate_type: 'risk', aggregate_id: 'r', payload: at });
      expect(rows()).toBe(1);
      let error: unknown;
      try {
        catalyst.emitter.emit({
          event_type: 'RISK_CHECK_PASSED',
          aggregate_type: 'risk',
          aggregate_id: 'r',
          payload: { ...at, blob: at.blob + 'a' },
        });
      } catch (caught) {
        error = caught;
      }
      expect(isValidationError(error)).toBe(true);
      expect((error as { issues: ValidationIssue[] }).issues).toEqual([
        { path: 'payload', message: expect.stringContaining('exceeds') as string },
      ]);
      expect(rows()).toBe(1);
    } finally {
      await cleanup();
    }
  });
});

describe('deeply nested payloads', () => {
  /*
   * Nesting is bounded (MAX_JSON_DEPTH, 64): beyond it emit refuses with a ValidationError at
   * the path, before zod or merging recurse (which used to throw a bare RangeError at ~2000
   * levels, and to write 1001-1999 levels SQLite's JSON functions then call malformed).
   */
  it.each([1200, 3000])('a payload nested %i levels deep is refused with a ValidationError, nothing written', async (depth) => {
    const { catalyst, rows, cleanup } = await open('sync');
    try {
      let error: unknown;
      try {
        catalyst.emitter.emit({
          event_type: 'ALERT_SKIPPED',
          aggregate_type: 'alert',
          aggregate_id: 'a-1',
          payload: { alert_id: 'a-1', reason: 'deep', deep: JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown },
        });
      } catch (caught) {
        error = caught;
      }
      expect(isValidationError(error), String(error)).toBe(true);
      expect((error as { issues: ValidationIssue[] }).issues[0]!.path).toMatch(/^payload\.deep/);
      expect(rows()).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
