import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openCatalystReader } from '../../container/create-catalyst';
import { SqliteEventStore } from '../../store/sqlite/sqlite-event-store';
import type { CommandContext } from '../context';
import { pluginsOf, resolveConfig } from '../log-source';

export interface SchemaOptions {
  format?: 'json-schema' | 'markdown';
  out?: string;
  config?: string;
}

export const SCHEMA_FILES = { 'json-schema': 'events.schema.json', markdown: 'events.md' } as const;

/**
 * The event reference from the plugins' zod schemas. Needs no log: the plugins are loaded
 * over a throwaway in-memory store.
 */
export async function runSchema(options: SchemaOptions, ctx: CommandContext): Promise<number> {
  const format = options.format ?? 'markdown';
  const config = resolveConfig({ ...(options.config !== undefined ? { config: options.config } : {}) }, ctx);
  const memory = SqliteEventStore.open({ file: ':memory:' });
  try {
    const session = await openCatalystReader(config, { store: memory, plugins: await pluginsOf(config, ctx) });
    try {
      const text =
        format === 'json-schema'
          ? `${JSON.stringify(session.schemas.toJsonSchema(), null, 2)}\n`
          : ensureNewline(session.schemas.toMarkdown());
      if (options.out === undefined) {
        ctx.io.out(text);
        return 0;
      }
      const dir = resolve(ctx.cwd, options.out);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, SCHEMA_FILES[format]);
      writeFileSync(file, text);
      ctx.io.out(`wrote ${file} (${session.schemas.list().length} event types)\n`);
      return 0;
    } finally {
      await session.close();
    }
  } finally {
    memory.close();
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
