import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { clean, formatTimeIn } from '../display';

/** Keys whose numbers are Unix ms: shown with the time they name, in the display zone. */
const TIME_KEY = /(_at|_time|^until|^since|timestamp)$/;

/** A number as stored, with float noise rounded away (the raw value one click away) and epoch ms read as a time. */
function NumberValue({ value, keyName }: { value: number; keyName: string | null }) {
  const [raw, setRaw] = useState(false);
  const tidy = clean(value);
  const noisy = tidy !== value;
  const when =
    keyName !== null && TIME_KEY.test(keyName) && Number.isInteger(value) && value > 1e11 && value < 1e14 ? formatTimeIn(value) : null;
  return (
    <>
      <span
        class={`j-num${noisy ? ' j-noisy' : ''}`}
        title={noisy ? (raw ? 'Click for the rounded value' : `Stored as ${value} (click to show)`) : undefined}
        onClick={noisy ? () => setRaw((r) => !r) : undefined}
      >
        {raw || !noisy ? String(value) : String(tidy)}
      </span>
      {when && <span class="j-comment"> /* {when} */</span>}
    </>
  );
}

/**
 * Pretty JSON as a tree, coloured by type. `marks` maps JSON paths (`$.stop_loss`,
 * `$.price_history[3]`) to a change kind, and those nodes are highlighted. Long arrays show
 * their ends; a highlighted item in the hidden middle opens it.
 */
export type MarkKind = 'added' | 'removed' | 'changed';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

const HEAD = 20;
const TAIL = 20;

interface NodeProps {
  value: unknown;
  path: string;
  marks: ReadonlyMap<string, MarkKind>;
  name?: ComponentChildren;
  last: boolean;
  depth: number;
}

function Scalar({ value, keyName = null }: { value: unknown; keyName?: string | null }) {
  if (value === null) return <span class="j-null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span class="j-str">{JSON.stringify(value)}</span>;
    case 'number':
      return <NumberValue value={value} keyName={keyName} />;
    case 'boolean':
      return <span class="j-bool">{String(value)}</span>;
    case 'bigint':
    case 'symbol':
    case 'undefined':
      return <span class="j-null">{String(value)}</span>;
    case 'object':
    case 'function':
      // Containers are drawn by JsonNode; nothing else reaches here from parsed JSON.
      return <span class="j-null">{typeof value}</span>;
  }
}

function hasMarkInside(marks: ReadonlyMap<string, MarkKind>, path: string): boolean {
  for (const key of marks.keys()) if (key.startsWith(path) && key !== path) return true;
  return false;
}

function JsonNode({ value, path, marks, name, last, depth }: NodeProps) {
  const mark = marks.get(path);
  // Open what matters: the top, anything changed, and small containers; big unchanged ones fold.
  const size = typeof value === 'object' && value !== null ? Object.keys(value).length : 0;
  const [open, setOpen] = useState(depth === 0 || hasMarkInside(marks, path) || (depth < 3 && size <= 8));
  const [showAll, setShowAll] = useState(false);
  const comma = last ? '' : ',';
  const label = name !== undefined ? <>{name}: </> : null;
  const cls = `j-line${mark ? ` mark-${mark}` : ''}`;
  if (typeof value !== 'object' || value === null) {
    return (
      <div class={cls} data-path={path}>
        {label}
        <Scalar value={value} keyName={/\.([A-Za-z_$][\w$]*)$/.exec(path)?.[1] ?? null} />
        {comma}
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: [string | number, unknown][] = isArray ? value.map((v, i) => [i, v]) : Object.entries(value);
  const [openBr, closeBr] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div class={cls} data-path={path}>
        {label}
        {openBr}
        {closeBr}
        {comma}
      </div>
    );
  }
  const hidden = isArray && !showAll && entries.length > HEAD + TAIL + 5;
  const hiddenMarked =
    hidden && entries.slice(HEAD, entries.length - TAIL).some(([k]) => marks.has(child(path, k)) || hasMarkInside(marks, child(path, k)));
  const visible = hidden && !hiddenMarked ? [...entries.slice(0, HEAD), null, ...entries.slice(-TAIL)] : entries;
  return (
    <div class={`j-block${mark ? ` mark-${mark}` : ''}`} data-path={path}>
      <div class="j-line">
        <button type="button" class="j-toggle" aria-expanded={open} onClick={() => setOpen(!open)} title={open ? 'Collapse' : 'Expand'}>
          {open ? '▾' : '▸'}
        </button>
        {label}
        {openBr}
        {!open && (
          <span class="j-more">
            {' '}
            {entries.length} {isArray ? 'items' : 'keys'} {closeBr}
            {comma}
          </span>
        )}
      </div>
      {open && (
        <div class="j-children">
          {visible.map((entry, i) =>
            entry === null ? (
              <div class="j-line" key="more">
                <button type="button" class="j-expand" onClick={() => setShowAll(true)}>
                  … {entries.length - HEAD - TAIL} more items
                </button>
              </div>
            ) : (
              <JsonNode
                key={String(entry[0])}
                value={entry[1]}
                path={child(path, entry[0])}
                marks={marks}
                name={isArray ? undefined : <span class="j-key">{JSON.stringify(entry[0])}</span>}
                last={i === visible.length - 1}
                depth={depth + 1}
              />
            ),
          )}
        </div>
      )}
      {open && (
        <div class="j-line">
          {closeBr}
          {comma}
        </div>
      )}
    </div>
  );
}

export function JsonView({ value, marks }: { value: unknown; marks?: ReadonlyMap<string, MarkKind> }) {
  return (
    <div class="json" role="tree">
      <JsonNode value={value} path="$" marks={marks ?? new Map()} last depth={0} />
    </div>
  );
}
