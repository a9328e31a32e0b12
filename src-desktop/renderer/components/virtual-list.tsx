import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Rendered only for rows in (or near) the viewport. */
  renderRow: (item: T, index: number) => ComponentChildren;
  /** Called when the last rendered row is within `threshold` rows of the end. */
  onNearEnd?: () => void;
  threshold?: number;
  /** Keeps this row in view when it changes (keyboard selection). */
  scrollToIndex?: number | null;
  footer?: ComponentChildren;
  label: string;
}

/**
 * A windowed list over @tanstack/virtual-core: however many rows are loaded, only the
 * visible ones (plus a small overscan) are in the DOM.
 */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, HTMLDivElement>({
        count: props.items.length,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => props.rowHeight,
        overscan: 8,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => rerender(0),
      }),
  );
  virtualizer.setOptions({
    ...virtualizer.options,
    count: props.items.length,
    estimateSize: () => props.rowHeight,
    onChange: () => rerender(0),
  });
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });

  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;
  const { onNearEnd, threshold = 20 } = props;
  useEffect(() => {
    if (onNearEnd && props.items.length > 0 && lastIndex >= props.items.length - threshold) onNearEnd();
  }, [lastIndex, props.items.length, onNearEnd, threshold]);

  useEffect(() => {
    const index = props.scrollToIndex;
    if (index === null || index === undefined || index < 0) return undefined;
    virtualizer.scrollToIndex(index, { align: 'auto' });
    // Right after mount the box may not be measured yet: once more on the next frame.
    const frame = requestAnimationFrame(() => virtualizer.scrollToIndex(index, { align: 'auto' }));
    return () => cancelAnimationFrame(frame);
  }, [props.scrollToIndex, virtualizer]);

  return (
    <div class="vlist" ref={scrollRef} role="list" aria-label={props.label} data-rows-rendered={items.length}>
      <div class="vlist-inner" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        {items.map((row) => (
          <div key={row.key} class="vlist-row" role="listitem" style={{ height: `${row.size}px`, transform: `translateY(${row.start}px)` }}>
            {props.renderRow(props.items[row.index]!, row.index)}
          </div>
        ))}
      </div>
      {props.footer}
    </div>
  );
}
