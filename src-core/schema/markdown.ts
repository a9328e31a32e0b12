import { payloadJsonSchema } from './json-schema';
import type { RegisteredEventSchema } from './registered';

type JsonSchema = Record<string, unknown>;

interface Row {
  key: string;
  type: string;
  required: string;
  description: string;
}

const ENVELOPE: readonly Row[] = [
  { key: 'event_id', type: 'string (UUID)', required: 'yes', description: 'UUIDv7 when written by catalyst-events' },
  { key: 'event_type', type: 'string', required: 'yes', description: 'one of the types below' },
  { key: 'aggregate_type', type: 'string', required: 'yes', description: 'fixed per event type' },
  { key: 'aggregate_id', type: 'string', required: 'yes', description: 'the entity the event is about' },
  { key: 'sequence_number', type: 'integer', required: 'yes', description: '1, 2, 3... per aggregate, no gaps' },
  { key: 'created_at', type: 'integer', required: 'yes', description: 'Unix milliseconds, UTC' },
  { key: 'payload', type: 'object', required: 'yes', description: 'snake_case keys; extra keys are kept' },
  {
    key: 'metadata',
    type: 'object',
    required: 'no',
    description: 'source, correlation_id, causation_id, user_id, version (the payload schema version)',
  },
];

/** A readable reference of all registered events, grouped by aggregate type. */
export function registryMarkdown(entries: readonly RegisteredEventSchema[]): string {
  const out: string[] = [
    '# Catalyst Events: event reference',
    '',
    'Generated from the registered zod schemas; regenerate instead of editing.',
    '',
    '## Envelope (every event)',
    '',
    ...table(ENVELOPE),
  ];
  const groups = new Map<string, RegisteredEventSchema[]>();
  for (const entry of entries) {
    const group = groups.get(entry.aggregateType) ?? [];
    group.push(entry);
    groups.set(entry.aggregateType, group);
  }
  for (const aggregateType of [...groups.keys()].sort()) {
    const group = (groups.get(aggregateType) ?? []).sort((a, b) => a.eventType.localeCompare(b.eventType));
    out.push('', `## Aggregate \`${aggregateType}\``);
    for (const entry of group) out.push('', ...eventSection(entry));
  }
  return out.join('\n') + '\n';
}

function eventSection(entry: RegisteredEventSchema): string[] {
  const lines = [`### ${entry.eventType}`, ''];
  if (entry.description) lines.push(entry.description, '');
  let facts = `Schema version \`${entry.version}\`, registered by \`${entry.owner}\`.`;
  const upcasters = entry.upcasters ?? [];
  if (upcasters.length) {
    facts += ' Upcasters: ' + upcasters.map((u) => `\`${u.fromVersion}\` → \`${u.toVersion}\``).join(', ') + '.';
  }
  lines.push(facts, '');
  const rows = payloadRows(payloadJsonSchema(entry.payload), '');
  if (rows.length === 0) lines.push('Payload: no declared keys.');
  else lines.push(...table(rows));
  return lines;
}

/** One row per key, nested objects flattened to `parent.child` and `list[].child`. */
function payloadRows(schema: JsonSchema, prefix: string): Row[] {
  const properties = asRecord(schema.properties);
  if (!properties) return [];
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const rows: Row[] = [];
  for (const [key, value] of Object.entries(properties)) {
    const prop = asRecord(value) ?? {};
    const name = prefix + key;
    const hasDefault = 'default' in prop;
    rows.push({
      key: name,
      type: typeOf(prop),
      required: required.has(key) ? 'yes' : hasDefault ? `no (default ${JSON.stringify(prop.default)})` : 'no',
      description: typeof prop.description === 'string' ? prop.description : '',
    });
    const items = asRecord(prop.items);
    if (asRecord(prop.properties)) rows.push(...payloadRows(prop, `${name}.`));
    else if (items && asRecord(items.properties)) rows.push(...payloadRows(items, `${name}[].`));
  }
  return rows;
}

function typeOf(schema: JsonSchema): string {
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(variants)) return variants.map((v) => typeOf(asRecord(v) ?? {})).join(' | ');
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length === 0) return 'any';
  return types
    .map((t) => {
      if (t === 'array') {
        const items = asRecord(schema.items);
        return items ? `array of ${typeOf(items)}` : 'array';
      }
      if (t === 'number' || t === 'integer') return t + bounds(schema);
      if (t === 'string' && typeof schema.format === 'string') return `string (${schema.format})`;
      return t;
    })
    .join(' | ');
}

function bounds(schema: JsonSchema): string {
  const parts: string[] = [];
  // zod's int() adds the safe-integer range: implied by "integer", noise in a table.
  if (typeof schema.minimum === 'number' && schema.minimum !== Number.MIN_SAFE_INTEGER) parts.push(`≥ ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === 'number') parts.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === 'number' && schema.maximum !== Number.MAX_SAFE_INTEGER) parts.push(`≤ ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === 'number') parts.push(`< ${schema.exclusiveMaximum}`);
  return parts.length ? ` ${parts.join(', ')}` : '';
}

function table(rows: readonly Row[]): string[] {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| key | type | required | description |',
    '|---|---|---|---|',
    ...rows.map((r) => `| \`${cell(r.key)}\` | ${cell(r.type)} | ${cell(r.required)} | ${cell(r.description)} |`),
  ];
}

function asRecord(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}
