import { type ReactNode, useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';

/** Props of {@link VirtualList}. */
export interface VirtualListProps<T> {
  readonly items: readonly T[];
  readonly keyOf: (item: T) => string;
  /** The accessible name of each row. */
  readonly labelOf: (item: T) => string;
  readonly render: (item: T) => ReactNode;
  /** Draw only the rows in view (plus a margin) instead of every row. */
  readonly virtualize: boolean;
  /** Height of a row not measured yet, in px. */
  readonly estimate: number;
  /** The list's accessible name. */
  readonly label: string;
  /** Scroll this row into view once it exists (e.g. from a deep link). */
  readonly scrollToKey?: string | null;
  readonly className?: string;
}

/** Rows drawn above and below the visible ones, in px. */
const OVERSCAN_PX = 400;

/**
 * A list in its own scrolling box. When `virtualize` is set only the rows in view are in the
 * DOM; rows are measured as they are drawn (a ResizeObserver), so rows of any height (an error
 * text, an open settings form) scroll correctly, and spacers stand in for the rows not drawn.
 */
export function VirtualList<T>(props: VirtualListProps<T>): ReactNode {
  const { items, keyOf, labelOf, render, virtualize, estimate, label, scrollToKey } = props;
  const box = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [view, setView] = useState({ top: 0, height: 800 });
  const [, remeasured] = useReducer((n: number) => n + 1, 0);
  const observer = useRef<ResizeObserver | null>(null);

  useEffect(() => {
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((records) => {
      let changed = false;
      for (const r of records) {
        const key = (r.target as HTMLElement).dataset.key;
        const h = (r.target as HTMLElement).offsetHeight;
        if (key !== undefined && h > 0 && heights.current.get(key) !== h) {
          heights.current.set(key, h);
          changed = true;
        }
      }
      if (changed) remeasured();
    });
    observer.current = ro;
    return () => ro.disconnect();
  }, []);

  const measure = useCallback((el: HTMLLIElement | null) => {
    if (el !== null) observer.current?.observe(el);
  }, []);

  const onScroll = (): void => {
    const el = box.current;
    if (el !== null) setView({ top: el.scrollTop, height: el.clientHeight });
  };
  useLayoutEffect(() => {
    const el = box.current;
    if (el !== null) setView({ top: el.scrollTop, height: el.clientHeight });
  }, []);

  const offsets: number[] = [];
  let total = 0;
  for (const item of items) {
    offsets.push(total);
    total += heights.current.get(keyOf(item)) ?? estimate;
  }
  offsets.push(total);

  const scrolledTo = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (scrollToKey == null || scrolledTo.current === scrollToKey) return;
    const index = items.findIndex((i) => keyOf(i) === scrollToKey);
    const el = box.current;
    if (index === -1 || el === null) return;
    scrolledTo.current = scrollToKey;
    el.scrollTop = Math.max(0, (offsets[index] ?? 0) - 8);
    setView({ top: el.scrollTop, height: el.clientHeight });
  });

  let first = 0;
  let last = items.length - 1;
  if (virtualize) {
    const from = view.top - OVERSCAN_PX;
    const to = view.top + view.height + OVERSCAN_PX;
    while (first < items.length - 1 && (offsets[first + 1] ?? 0) <= from) first++;
    last = first;
    while (last < items.length - 1 && (offsets[last + 1] ?? 0) < to) last++;
  }
  const shown = items.slice(first, last + 1);
  return (
    <div ref={box} className={['pg-vlist', props.className].filter(Boolean).join(' ')} onScroll={onScroll}>
      <ul
        className="pg-plugins"
        aria-label={label}
        style={
          virtualize
            ? { paddingTop: offsets[first] ?? 0, paddingBottom: total - (offsets[last + 1] ?? total) }
            : undefined
        }
      >
        {shown.map((item, i) => (
          <li
            key={keyOf(item)}
            ref={measure}
            data-key={keyOf(item)}
            aria-label={labelOf(item)}
            aria-setsize={virtualize ? items.length : undefined}
            aria-posinset={virtualize ? first + i + 1 : undefined}
            className="pg-plugin-row"
          >
            {render(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}
