import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CountView, EventQuery, EventRecord, LogStats } from '../../shared/api';
import { errorText, getApi } from '../api';
import { AggregateChip, CorruptFlag, ErrorBox, TimeInput, TypeBadge } from '../components/common';
import { VirtualList } from '../components/virtual-list';
import { formatTime, formatTimeBare, summarize } from '../format';
import { displayZone } from '../display';
import { navigate } from '../router';
import { EventDetailBody } from './event-detail';

const PAGE = 200;
const ROW_HEIGHT = 36;
/** New events are counted up to this many; beyond, the banner says "1000+". */
const NEW_COUNT_CAP = 1000;

type Direction = 'backward' | 'forward';

interface ListState {
  records: EventRecord[];
  next: number | null;
  head: number;
  loading: boolean;
  error: unknown;
  done: boolean;
}

const EMPTY: ListState = { records: [], next: null, head: 0, loading: true, error: null, done: false };

/** The text box filters as you type, a moment after the last key. */
function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

function FilterBar({ filter, stats, onChange }: { filter: EventQuery; stats: LogStats | null; onChange: (next: EventQuery) => void }) {
  const [text, setText] = useState(filter.text ?? '');
  const debounced = useDebounced(text, 250);
  useEffect(() => setText(filter.text ?? ''), [filter.text]);
  useEffect(() => {
    if ((debounced || undefined) !== filter.text) onChange({ ...filter, text: debounced || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  const types = Object.keys(stats?.byType ?? {}).sort();
  const aggregateTypes = Object.keys(stats?.byAggregateType ?? {}).sort();
  const chosen = filter.types ?? [];
  const hidden = filter.excludeTypes ?? [];
  const set = (patch: Partial<EventQuery>) => onChange({ ...filter, ...patch });
  const active = Object.values(filter).some((v) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <label class="field grow">
        <span>Search payload</span>
        <input
          id="filter-text"
          type="search"
          placeholder="ticker, reason, id…  ( / )"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span>Event type</span>
        <select
          id="filter-type"
          value=""
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value && !chosen.includes(value)) set({ types: [...chosen, value] });
          }}
        >
          <option value="">{chosen.length ? 'add another…' : 'any type'}</option>
          {types.map((t) => (
            <option key={t} value={t} disabled={chosen.includes(t)}>
              {t} ({stats?.byType[t]})
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Hide type</span>
        <select
          id="filter-exclude"
          value=""
          onChange={(e) => {
            const value = e.currentTarget.value;
            if (value && !hidden.includes(value)) set({ excludeTypes: [...hidden, value] });
          }}
        >
          <option value="">{hidden.length ? 'hide another…' : 'none'}</option>
          {types.map((t) => (
            <option key={t} value={t} disabled={hidden.includes(t)}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Ticker</span>
        <input
          id="filter-ticker"
          value={filter.ticker ?? ''}
          placeholder="every event of it"
          size={8}
          onChange={(e) => set({ ticker: e.currentTarget.value.trim().toUpperCase() || undefined })}
        />
      </label>
      <label class="field">
        <span>Aggregate</span>
        <select
          id="filter-aggregate-type"
          value={filter.aggregateType ?? ''}
          onChange={(e) => set({ aggregateType: e.currentTarget.value || undefined })}
        >
          <option value="">any</option>
          {aggregateTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Aggregate id</span>
        <input
          id="filter-aggregate-id"
          value={filter.aggregateId ?? ''}
          placeholder="exact id"
          onChange={(e) => set({ aggregateId: e.currentTarget.value.trim() || undefined })}
        />
      </label>
      <label class="field">
        <span>Correlation</span>
        <input
          id="filter-correlation"
          value={filter.correlationId ?? ''}
          placeholder="exact id"
          onChange={(e) => set({ correlationId: e.currentTarget.value.trim() || undefined })}
        />
      </label>
      <label class="field">
        <span>From ({displayZone().name})</span>
        <TimeInput id="filter-since" value={filter.since} onChange={(ms) => set({ since: ms })} />
      </label>
      <label class="field">
        <span>To ({displayZone().name})</span>
        <TimeInput id="filter-until" value={filter.until} onChange={(ms) => set({ until: ms })} />
      </label>
      {active && (
        <button type="button" class="btn ghost" onClick={() => onChange({})}>
          Clear
        </button>
      )}
      {chosen.length > 0 && (
        <div class="chips" aria-label="Chosen event types">
          {chosen.map((t) => (
            <button type="button" key={t} class="chip" title="Remove" onClick={() => set({ types: chosen.filter((c) => c !== t) })}>
              {t} ✕
            </button>
          ))}
        </div>
      )}
      {hidden.length > 0 && (
        <div class="chips hidden-types" aria-label="Hidden event types">
          {hidden.map((t) => (
            <button
              type="button"
              key={t}
              class="chip chip-hidden"
              title="Show again"
              onClick={() => set({ excludeTypes: hidden.filter((c) => c !== t) })}
            >
              hide {t} ✕
            </button>
          ))}
        </div>
      )}
    </form>
  );
}

function Row({ record, selected, onSelect }: { record: EventRecord; selected: boolean; onSelect: () => void }) {
  const corrupt = 'corrupt' in record;
  return (
    <div
      class={`row${selected ? ' selected' : ''}${corrupt ? ' corrupt' : ''}`}
      onClick={onSelect}
      onDblClick={() => navigate({ view: 'event', eventId: record.event_id })}
      data-event-id={record.event_id}
      aria-selected={selected}
    >
      <span class="col-pos mono">{record.position}</span>
      <span class="col-time mono" title={formatTime(record.created_at)}>
        {formatTimeBare(record.created_at).slice(5)}
      </span>
      <span class="col-type">
        <TypeBadge record={record} />
      </span>
      <span class="col-agg">
        <AggregateChip type={record.aggregate_type} id={record.aggregate_id} />
        <span class="seq">#{record.sequence_number ?? '–'}</span>
      </span>
      <span class="col-summary">
        {corrupt && <CorruptFlag text={record.error} />} {summarize(record)}
      </span>
    </div>
  );
}

/** `value` as first seen for this `key`: a stable identity for effect dependencies while the key stays the same. */
function useSameByKey<T>(value: T, key: string): T {
  const held = useRef({ key, value });
  if (held.current.key !== key) held.current = { key, value };
  return held.current.value;
}

export function EventsView({ filter, selected }: { filter: EventQuery; selected: string | null }) {
  const api = getApi();
  const [direction, setDirection] = useState<Direction>('backward');
  /** Showing the far end of the list (its last page, read from the other side). */
  const [atEnd, setAtEnd] = useState(false);
  const [count, setCount] = useState<CountView | null>(null);
  const [list, setList] = useState<ListState>(EMPTY);
  const [stats, setStats] = useState<LogStats | null>(null);
  const [newCount, setNewCount] = useState(0);
  const [exportError, setExportError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const loadingMore = useRef(false);
  const filterKey = JSON.stringify(filter);
  // The same filter object until its contents change: the reads below depend on what it says, not on its identity.
  const queryFilter = useSameByKey(filter, filterKey);

  useEffect(() => {
    api.stats().then(setStats, () => setStats(null));
  }, [api, reloadKey]);

  // First page whenever the filter, the order or a reload asks for it.
  useEffect(() => {
    let live = true;
    setList(EMPTY);
    setNewCount(0);
    // The end of the list is the first page read the other way, shown in this order: one keyset read, whatever the length.
    const read = atEnd ? (direction === 'backward' ? 'forward' : 'backward') : direction;
    api.eventsPage({ filter: queryFilter, limit: PAGE, direction: read }).then(
      (page) =>
        live &&
        setList(
          atEnd
            ? { records: [...page.records].reverse(), next: null, head: page.head, loading: false, error: null, done: true }
            : { records: page.records, next: page.next, head: page.head, loading: false, error: null, done: page.next === null },
        ),
      (error: unknown) => live && setList({ ...EMPTY, loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [api, queryFilter, direction, reloadKey, atEnd]);

  // The exact count of what the filter matches (from the statistics, or one scan with a budget).
  useEffect(() => {
    let live = true;
    setCount(null);
    api.eventsCount({ filter: queryFilter }).then(
      (c) => live && setCount(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, queryFilter, reloadKey]);

  const loadMore = useCallback(() => {
    if (loadingMore.current || list.done || list.loading || list.next === null) return;
    loadingMore.current = true;
    api
      .eventsPage({ filter: queryFilter, limit: PAGE, direction, after: list.next })
      .then(
        (page) =>
          setList((prev) =>
            prev.next === list.next
              ? { ...prev, records: [...prev.records, ...page.records], next: page.next, done: page.next === null }
              : prev,
          ),
        (error: unknown) => setList((prev) => ({ ...prev, error })),
      )
      .finally(() => (loadingMore.current = false));
  }, [api, queryFilter, list.next, list.done, list.loading, direction]);

  // Live: count the new events that match this filter; the trader decides when to look.
  useEffect(() => {
    if (list.loading) return undefined;
    return api.onDataChanged(() => {
      api.eventsPage({ filter: queryFilter, after: list.head, limit: NEW_COUNT_CAP, direction: 'forward' }).then(
        (page) => setNewCount(page.records.length),
        () => undefined,
      );
    });
  }, [api, queryFilter, list.head, list.loading]);

  const selectedIndex = selected ? list.records.findIndex((r) => r.event_id === selected) : -1;
  // Keys can arrive faster than the route re-renders: move from the latest choice, not the last render.
  const cursor = useRef(selectedIndex);
  cursor.current = selectedIndex;
  const select = (index: number) => {
    const record = list.records[index];
    if (!record) return;
    cursor.current = index;
    navigate({ view: 'events', filter, selected: record.event_id }, true);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, select, textarea')) return;
      if (e.key === 'ArrowDown' || e.key === 'j') {
        e.preventDefault();
        select(Math.min(list.records.length - 1, cursor.current + 1));
      } else if (e.key === 'ArrowUp' || e.key === 'k') {
        e.preventDefault();
        select(Math.max(0, cursor.current - 1));
      } else if (e.key === 'Enter' && selected) {
        navigate({ view: 'event', eventId: selected });
      } else if (e.key === 'Escape' && selected) {
        navigate({ view: 'events', filter, selected: null }, true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const doExport = (format: 'csv' | 'ndjson') => {
    setExportError(null);
    api.exportEvents({ filter, format }).catch((error: unknown) => setExportError(errorText(error)));
  };

  return (
    <div class="browser">
      <FilterBar filter={filter} stats={stats} onChange={(next) => navigate({ view: 'events', filter: next, selected: null })} />
      <div class="browser-body">
        <section class="list-pane" aria-label="Events">
          <div class="list-toolbar">
            <span class="muted" id="list-count">
              {list.loading
                ? 'Loading…'
                : atEnd
                  ? `last ${list.records.length.toLocaleString('en-US')} events`
                  : `${list.records.length.toLocaleString('en-US')}${list.done ? '' : '+'} events`}
            </span>
            <span class="muted small" id="exact-count" title="How many events this filter matches in the whole log">
              {count === null ? '' : `${count.exact ? '' : 'at least '}${count.count.toLocaleString('en-US')} match`}
            </span>
            <div class="seg" role="group" aria-label="Order">
              <button
                type="button"
                class={direction === 'backward' ? 'on' : ''}
                onClick={() => (setAtEnd(false), setDirection('backward'))}
              >
                Newest first
              </button>
              <button type="button" class={direction === 'forward' ? 'on' : ''} onClick={() => (setAtEnd(false), setDirection('forward'))}>
                Oldest first
              </button>
            </div>
            <div class="seg" role="group" aria-label="Jump">
              <button
                type="button"
                id="jump-start"
                class={!atEnd ? 'on' : ''}
                onClick={() => setAtEnd(false)}
                title="The start of the list"
              >
                ⇤ Start
              </button>
              <button
                type="button"
                id="jump-end"
                class={atEnd ? 'on' : ''}
                onClick={() => setAtEnd(true)}
                title="The end of the list (one read, however long the log)"
              >
                End ⇥
              </button>
            </div>
            <span class="spacer" />
            <button
              type="button"
              class="btn small"
              id="export-csv"
              onClick={() => doExport('csv')}
              title="Export the current filter as CSV"
            >
              ⤓ CSV
            </button>
            <button
              type="button"
              class="btn small"
              id="export-ndjson"
              onClick={() => doExport('ndjson')}
              title="Export the current filter as NDJSON"
            >
              ⤓ NDJSON
            </button>
          </div>
          {exportError && <ErrorBox error={new Error(exportError)} />}
          {newCount > 0 && (
            <button type="button" class="new-banner" id="new-events" onClick={() => setReloadKey((k) => k + 1)}>
              ↑ {newCount >= NEW_COUNT_CAP ? `${NEW_COUNT_CAP}+` : newCount} new event{newCount === 1 ? '' : 's'} — show
            </button>
          )}
          <div class="row header" aria-hidden="true">
            <span class="col-pos">#</span>
            <span class="col-time">Time ({displayZone().name})</span>
            <span class="col-type">Event</span>
            <span class="col-agg">Aggregate</span>
            <span class="col-summary">What happened</span>
          </div>
          {list.error ? <ErrorBox error={list.error} /> : null}
          {!list.loading && !list.error && list.records.length === 0 ? (
            <div class="state-msg">No events match this filter.</div>
          ) : (
            <VirtualList
              // A new query starts at the top, not wherever the last one was scrolled to.
              key={`${filterKey}|${direction}|${reloadKey}|${atEnd}`}
              label="Event list"
              items={list.records}
              rowHeight={ROW_HEIGHT}
              onNearEnd={loadMore}
              scrollToIndex={selectedIndex >= 0 ? selectedIndex : atEnd && list.records.length > 0 ? list.records.length - 1 : null}
              renderRow={(record, index) => <Row record={record} selected={index === selectedIndex} onSelect={() => select(index)} />}
              footer={!list.done && !list.loading ? <div class="list-foot muted">Loading more…</div> : null}
            />
          )}
        </section>
        <aside class="detail-pane" aria-label="Event detail">
          {selected ? (
            <EventDetailBody eventId={selected} />
          ) : (
            <div class="state-msg hint">
              Select an event to see its payload, metadata, cause and effects.
              <br />
              <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>/</kbd> search · <kbd>?</kbd> all shortcuts
            </div>
          )}
        </aside>
      </div>
    </div>
  );
}
