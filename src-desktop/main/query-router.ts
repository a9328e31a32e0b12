import { isCatalystError } from '../../src-core';
import { QUERY_METHODS, type Envelope, type QueryMethod, type ViewerQueries } from '../shared/api';
import { QueryArgumentError } from './errors';
import { querySchemas } from './query-schemas';

const KNOWN = new Set<string>(QUERY_METHODS);

export function isQueryMethod(name: unknown): name is QueryMethod {
  return typeof name === 'string' && KNOWN.has(name);
}

/** zod issues as short `path: message` lines for the error the caller sees. */
function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}

/** Validate, then call. Throws QueryArgumentError for an unknown method or bad arguments. */
export async function runQuery(queries: ViewerQueries, method: unknown, rawArgs: unknown): Promise<unknown> {
  if (!isQueryMethod(method)) {
    throw new QueryArgumentError(String(method).slice(0, 64), ['unknown query']);
  }
  const parsed = querySchemas[method].safeParse(rawArgs ?? undefined);
  if (!parsed.success) throw new QueryArgumentError(method, issuesOf(parsed.error));
  // Called on `queries` (never detached), with the arguments its schema just checked.
  const methods = queries as unknown as Record<QueryMethod, (args: unknown) => Promise<unknown>>;
  return methods[method](parsed.data);
}

/**
 * The same, with the outcome as data: what IPC and HTTP send back. Typed errors keep their
 * code; anything else is reported as INTERNAL with its message (never a stack).
 */
export async function dispatchQuery(queries: ViewerQueries, method: unknown, rawArgs: unknown): Promise<Envelope<unknown>> {
  try {
    return { ok: true, value: await runQuery(queries, method, rawArgs) };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}

export function toWireError(error: unknown): { code: string; message: string } {
  if (isCatalystError(error)) return { code: error.code, message: error.message };
  // SQLite's own result codes (SQLITE_BUSY while a writer holds the file) tell the viewer what to do: wait and retry.
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_')) return { code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
