import { PluginError, ValidationError, type ValidationIssue } from '../errors';
import type { NewEvent, Payload, StoredEvent } from '../events/types';
import type { EventSchemaDefinition } from './types';
import { checkEnvelope } from './envelope';
import { registryJsonSchema } from './json-schema';
import { exceedsBytes, inspectJson, isPlainObject, MAX_PAYLOAD_BYTES, TOO_DEEP } from './json-safety';
import { mergeReportingChange } from './keep-extra-keys';
import { registryMarkdown } from './markdown';
import type { RegisteredEventSchema } from './registered';
import { SEED_VERSION, upcasterChainProblem, upcastPayload } from './upcast';
import { fromZodIssues } from './zod-issues';

/**
 * Event schemas by event type, as plugins register them.
 *
 * Extra payload keys: a writer's keys that the schema does not declare are KEPT, at every
 * depth (the parsed output is laid over the input), so plain `z.object` is the right
 * choice for plugins; only `z.strictObject` rejects unknown keys, and only where a plugin
 * really means it. Defaults declared in the schema are applied to what gets written.
 */
export class SchemaRegistry {
  private readonly byType = new Map<string, RegisteredEventSchema>();
  /** upcastTypes(), kept until the next registration: every rebuild asks. */
  private upcastable: readonly string[] | undefined;

  /**
   * Registers one event type. A second registration of the same type throws PluginError
   * naming both owners (the loader's conflict case); so does a malformed definition.
   */
  register(definition: EventSchemaDefinition, owner = 'unknown'): void {
    const problem = definitionProblem(definition);
    if (problem) throw new PluginError([owner], `invalid schema for event type '${String(definition?.eventType)}': ${problem}`);
    const existing = this.byType.get(definition.eventType);
    if (existing) {
      const owners = existing.owner === owner ? [owner] : [existing.owner, owner];
      throw new PluginError(owners, `event type '${definition.eventType}' is registered twice (first by ${existing.owner})`);
    }
    this.byType.set(definition.eventType, Object.freeze({ ...definition, owner }));
    this.upcastable = undefined;
  }

  /** The schema registered for `eventType`; undefined when none is. */
  get(eventType: string): RegisteredEventSchema | undefined {
    return this.byType.get(eventType);
  }

  /** Whether a schema is registered for `eventType`. */
  has(eventType: string): boolean {
    return this.byType.has(eventType);
  }

  /** In registration order. */
  list(): RegisteredEventSchema[] {
    return [...this.byType.values()];
  }

  /** The event types with upcasters: the only ones `upcast` can change. */
  upcastTypes(): readonly string[] {
    this.upcastable ??= this.list()
      .filter((d) => (d.upcasters?.length ?? 0) > 0)
      .map((d) => d.eventType);
    return this.upcastable;
  }

  /**
   * Checks the whole event (envelope, metadata, payload) and returns the payload to write:
   * zod's output (defaults applied) over the input (extra keys kept). Throws one
   * ValidationError listing every bad path, e.g. `payload.quantity`, `event_type`.
   */
  /**
   * `options.idIsOurs`: the event id was made by our own generator (a UUID by construction),
   * so the envelope check skips its UUID test, a regex per event on the emitter's hot path.
   */
  validate(event: NewEvent, options: { idIsOurs?: boolean } = {}): Payload {
    if (!isPlainObject(event)) {
      throw new ValidationError('(unknown)', [{ path: '', message: 'expected an event object' }]);
    }
    const raw = event as Record<string, unknown>;
    const eventType = typeof raw.event_type === 'string' && raw.event_type !== '' ? raw.event_type : undefined;
    const issues = checkEnvelope(raw, options.idIsOurs === true);
    const definition = eventType === undefined ? undefined : this.byType.get(eventType);
    if (eventType !== undefined && !definition) {
      issues.push({ path: 'event_type', message: `unknown event type '${eventType}': no plugin registered a schema for it` });
    }
    if (definition && typeof raw.aggregate_type === 'string' && raw.aggregate_type !== definition.aggregateType) {
      issues.push({
        path: 'aggregate_type',
        message: `${definition.eventType} belongs to aggregate '${definition.aggregateType}', got '${raw.aggregate_type}'`,
      });
    }
    const version = isPlainObject(raw.metadata) ? raw.metadata.version : undefined;
    if (definition && typeof version === 'string' && version !== definition.version) {
      issues.push({
        path: 'metadata.version',
        message: `the payload is checked against schema version ${definition.version}, not ${version}`,
      });
    }
    const payload = isPlainObject(raw.payload) ? checkPayload(raw.payload, definition, issues) : undefined;
    if (issues.length > 0 || payload === undefined) {
      throw new ValidationError(eventType ?? '(unknown)', issues);
    }
    return payload;
  }

  /**
   * An event as its current schema version describes it. Unknown types, events already at
   * the registered version and versions no upcaster starts from pass through unchanged.
   * An event without a version is taken to be the seed's "1.0".
   */
  upcast(stored: StoredEvent): StoredEvent {
    const definition = this.byType.get(stored.event_type);
    if (!definition?.upcasters?.length) return stored;
    const version = typeof stored.metadata?.version === 'string' ? stored.metadata.version : SEED_VERSION;
    if (version === definition.version) return stored;
    const lifted = upcastPayload(definition, version, stored.payload);
    if (lifted.version === version) return stored;
    return { ...stored, payload: lifted.payload, metadata: { ...stored.metadata, version: lifted.version } };
  }

  /** One JSON Schema document: every event type under `$defs`, the root accepts any of them. */
  toJsonSchema(): Record<string, unknown> {
    return registryJsonSchema(this.list());
  }

  /** A readable reference grouped by aggregate type. */
  toMarkdown(): string {
    return registryMarkdown(this.list());
  }
}

function checkPayload(
  input: Record<string, unknown>,
  definition: RegisteredEventSchema | undefined,
  issues: ValidationIssue[],
): Payload | undefined {
  const { issues: jsonIssues, maxBytes: inputMaxBytes } = inspectJson(input, 'payload');
  issues.push(...jsonIssues);
  // A recursive schema (or merging extras) would chase a cycle forever or recurse without
  // bound; the structure is already reported.
  if (!definition || jsonIssues.some((i) => i.message === 'circular reference' || i.message === TOO_DEEP)) return undefined;
  let result: ReturnType<RegisteredEventSchema['payload']['safeParse']>;
  try {
    result = definition.payload.safeParse(input);
  } catch (error) {
    issues.push({ path: 'payload', message: `schema check threw: ${(error as Error)?.message ?? String(error)}` });
    return undefined;
  }
  if (!result.success) {
    // One message per path: JSON's reason ("NaN is not representable") says more than zod's.
    const reported = new Set(jsonIssues.map((i) => i.path));
    issues.push(...fromZodIssues(result.error, 'payload').filter((i) => !reported.has(i.path)));
    if (jsonIssues.length === 0) checkSize(input, inputMaxBytes, issues);
    return undefined;
  }
  if (jsonIssues.length > 0) return undefined;
  const { value: payload, report } = mergeReportingChange(input, result.data, buildsItsOutput(definition.payload));
  if (!isPlainObject(payload)) {
    issues.push({ path: 'payload', message: 'the schema did not produce an object' });
    return undefined;
  }
  // The input's checked leaves plus plain primitives (defaults): the walk above holds for it.
  if (!report.unchecked) return checkSize(payload, inputMaxBytes + report.addedBytes, issues) ? payload : undefined;
  // A schema transform could produce what JSON cannot carry (a Date, a Map).
  const { issues: outputIssues, maxBytes } = inspectJson(payload, 'payload');
  if (outputIssues.length > 0) {
    issues.push(...outputIssues.map((i) => ({ ...i, message: `${i.message} (produced by the schema)` })));
    return undefined;
  }
  return checkSize(payload, maxBytes, issues) ? payload : undefined;
}

/** An object schema at the root: zod builds a new object for its output, every time. */
function buildsItsOutput(schema: RegisteredEventSchema['payload']): boolean {
  return (schema as { _zod?: { def?: { type?: unknown } } })._zod?.def?.type === 'object';
}

function checkSize(payload: Payload, maxBytes: number, issues: ValidationIssue[]): boolean {
  const bytes = exceedsBytes(payload, MAX_PAYLOAD_BYTES, maxBytes);
  if (bytes === false) return true;
  issues.push({ path: 'payload', message: `${bytes} bytes of JSON exceeds the maximum of ${MAX_PAYLOAD_BYTES} (256 KiB)` });
  return false;
}

function definitionProblem(definition: EventSchemaDefinition): string | null {
  if (typeof definition !== 'object' || definition === null) return 'not an object';
  if (typeof definition.eventType !== 'string' || definition.eventType === '') return 'eventType must be a non-empty string';
  if (typeof definition.aggregateType !== 'string' || definition.aggregateType === '') {
    return 'aggregateType must be a non-empty string';
  }
  if (typeof definition.version !== 'string' || definition.version === '') return 'version must be a non-empty string';
  if (typeof (definition.payload as { safeParse?: unknown } | undefined)?.safeParse !== 'function') {
    return 'payload must be a zod schema';
  }
  return upcasterChainProblem(definition);
}
