import { childPath } from '../../rebuild/diff';
import { inline } from './value';

/**
 * A state as `path value` leaves: `status filled`, `fills[0].price 187.5`. Empty objects and
 * arrays stay visible as `{}` / `[]`. Paths drop the leading `$`.
 */
export function flatten(value: unknown, path = '$', out: [string, string][] = []): [string, string][] {
  const label = path === '$' ? '(state)' : path.replace(/^\$\.?/, '');
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([label, '[]']);
    value.forEach((item, i) => flatten(item, childPath(path, i), out));
    return out;
  }
  if (value instanceof Map) return flatten(Object.fromEntries(value), path, out);
  if (value instanceof Set) return flatten([...value], path, out);
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) out.push([label, '{}']);
    for (const [key, child] of entries) flatten(child, childPath(path, key), out);
    return out;
  }
  out.push([label, value instanceof Date ? value.toISOString() : inline(value)]);
  return out;
}
