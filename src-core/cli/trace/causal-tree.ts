import type { EventRecord } from '../../events/types';
import { isCorruptEvent } from '../../events/types';

export interface TreeLine {
  record: EventRecord;
  /** Causal depth: 0 for a root, parent's depth + 1 below it. */
  depth: number;
  /** The event_id of the cause when it is in the set, else null (a root). */
  parent: string | null;
  /** Drawn before the event: branch glyphs (`├─ `, `└─ `) and rails (`│  `). */
  prefix: string;
  /** Index of the root tree this line belongs to (trees are printed apart). */
  tree: number;
}

function causationOf(record: EventRecord): string | null {
  if (isCorruptEvent(record)) return null;
  const id = record.metadata.causation_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Orders events as a causal tree, depth first: each event under the event its
 * `causation_id` names (when that one is in the set), siblings and roots in log order.
 *
 * Drawing: an event with a single effect is followed by it on the next line at the same
 * indentation (a chain reads straight down); only where one event caused several do the
 * branches indent. Pure; a causation cycle (a file is input) is broken, not followed.
 */
export function causalTree(records: readonly EventRecord[]): TreeLine[] {
  const sorted = [...records].sort((a, b) => a.position - b.position);
  const ids = new Set(sorted.map((r) => r.event_id));
  const children = new Map<string, EventRecord[]>();
  const roots: EventRecord[] = [];
  for (const record of sorted) {
    const cause = causationOf(record);
    if (cause !== null && cause !== record.event_id && ids.has(cause)) {
      const list = children.get(cause);
      if (list) list.push(record);
      else children.set(cause, [record]);
    } else {
      roots.push(record);
    }
  }
  const out: TreeLine[] = [];
  const placed = new Set<string>();
  let tree = -1;
  // Iterative: a long chain (thousands of price updates) must not exhaust the stack.
  const walk = (root: EventRecord): void => {
    tree++;
    const stack: { record: EventRecord; depth: number; parent: string | null; prefix: string; base: string }[] = [
      { record: root, depth: 0, parent: null, prefix: '', base: '' },
    ];
    while (stack.length > 0) {
      const { record, depth, parent, prefix, base } = stack.pop()!;
      if (placed.has(record.event_id)) continue;
      placed.add(record.event_id);
      out.push({ record, depth, parent, prefix, tree });
      const kids = (children.get(record.event_id) ?? []).filter((k) => !placed.has(k.event_id));
      const next = depth + 1;
      if (kids.length === 1) {
        stack.push({ record: kids[0]!, depth: next, parent: record.event_id, prefix: base, base });
        continue;
      }
      for (let i = kids.length - 1; i >= 0; i--) {
        const last = i === kids.length - 1;
        stack.push({
          record: kids[i]!,
          depth: next,
          parent: record.event_id,
          prefix: base + (last ? '└─ ' : '├─ '),
          base: base + (last ? '   ' : '│  '),
        });
      }
    }
  };
  for (const root of roots) if (!placed.has(root.event_id)) walk(root);
  // Events only reachable through a cycle: shown as roots rather than lost.
  for (const record of sorted) if (!placed.has(record.event_id)) walk(record);
  return out;
}
