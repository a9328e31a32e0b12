import { useEffect, useState } from 'preact/hooks';
import type { EventQuery, TradeColumn, TradesArgs } from '../shared/api';

/**
 * Hash routes, so links work the same from file:// (Electron) and http:// (served), and the
 * Back key walks through what the trader looked at.
 */
/** The blotter's state in the URL: its filters and sort (the zone is a setting, not a link). */
export type TradesQuery = Omit<TradesArgs, 'zone'>;

export type Route =
  | { view: 'events'; filter: EventQuery; selected: string | null; notice?: string }
  | { view: 'trades'; query: TradesQuery; notice?: string }
  | { view: 'performance' }
  | { view: 'book'; asOf: number | null; notice?: string }
  | { view: 'decisions'; by: 'ticker' | 'day'; threshold: number | null; notice?: string }
  | { view: 'event'; eventId: string }
  | { view: 'replay'; aggregateType: string; aggregateId: string; step: number | null; notice?: string }
  | { view: 'position'; positionId: string }
  | { view: 'trace'; correlationId: string | null; eventId: string | null }
  | { view: 'aggregates'; aggregateType: string | null }
  | { view: 'stats' }
  | { view: 'corrupt' };

const enc = encodeURIComponent;

const STRING_KEYS = ['aggregateType', 'aggregateId', 'correlationId', 'text', 'ticker'] as const;
const TIME_KEYS = ['since', 'until'] as const;
const LIST_KEYS = ['types', 'excludeTypes'] as const;

/** The events filter from the URL, checked field by field: anything malformed is reported, never trusted. */
export function parseFilterChecked(text: string | null): { filter: EventQuery; notice?: string } {
  if (!text) return { filter: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { filter: {}, notice: 'The filter in the address was not readable, so it was cleared.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { filter: {}, notice: 'The filter in the address was not readable, so it was cleared.' };
  const raw = value as Record<string, unknown>;
  const filter: EventQuery = {};
  const bad: string[] = [];
  for (const [key, v] of Object.entries(raw)) {
    if ((STRING_KEYS as readonly string[]).includes(key) && typeof v === 'string' && v.length > 0 && v.length <= 512)
      (filter as Record<string, unknown>)[key] = v;
    else if ((TIME_KEYS as readonly string[]).includes(key) && typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 8.64e15)
      (filter as Record<string, unknown>)[key] = v;
    else if (
      (LIST_KEYS as readonly string[]).includes(key) &&
      Array.isArray(v) &&
      v.length <= 200 &&
      v.every((t) => typeof t === 'string' && t.length > 0 && t.length <= 128)
    )
      (filter as Record<string, unknown>)[key] = v;
    else bad.push(key);
  }
  return bad.length ? { filter, notice: `Ignored a malformed filter in the address (${bad.join(', ')}).` } : { filter };
}

export function parseFilter(text: string | null): EventQuery {
  return parseFilterChecked(text).filter;
}

const SIDES = ['long', 'short'] as const;
const OUTCOMES = ['won', 'lost'] as const;
const STATUSES = ['open', 'closed'] as const;
export const SORTABLE: readonly TradeColumn[] = [
  'position_id',
  'ticker',
  'side',
  'peak_quantity',
  'avg_entry_price',
  'avg_exit_price',
  'gross_pnl',
  'fees',
  'net_pnl',
  'return_pct',
  'opened_at',
  'closed_at',
  'hold_seconds',
  'exit_reason',
  'status',
  'signal_id',
  'alert_id',
  'run_id',
];

function parseTimeParam(text: string | null): number | undefined | null {
  if (text === null || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) && ms >= 0 && ms <= 8.64e15 ? ms : null;
}

function list(text: string | null): string[] | undefined {
  const items = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** The blotter's query from the URL; what does not parse is dropped and named in the notice. */
export function parseTradesQuery(params: URLSearchParams): { query: TradesQuery; notice?: string } {
  const query: TradesQuery = {};
  const bad: string[] = [];
  const tickers = list(params.get('ticker'));
  if (tickers) query.tickers = tickers;
  const exits = list(params.get('exit'));
  if (exits) query.exitReasons = exits;
  const runs = list(params.get('run'));
  if (runs) query.runs = runs;
  const pick = <T extends string>(key: string, allowed: readonly T[], set: (v: T) => void) => {
    const v = params.get(key);
    if (v === null || v === '') return;
    if ((allowed as readonly string[]).includes(v)) set(v as T);
    else bad.push(`${key}=${v}`);
  };
  pick('side', SIDES, (v) => (query.side = v));
  pick('outcome', OUTCOMES, (v) => (query.outcome = v));
  pick('status', STATUSES, (v) => (query.status = v));
  pick('sort', SORTABLE, (v) => (query.sort = v));
  if (params.get('desc') === '1') query.descending = true;
  for (const key of ['since', 'until'] as const) {
    const t = parseTimeParam(params.get(key));
    if (t === null) bad.push(`${key}=${params.get(key)}`);
    else if (t !== undefined) query[key] = t;
  }
  return bad.length ? { query, notice: `Ignored what the address asked that the blotter cannot do: ${bad.join(', ')}.` } : { query };
}

function tradesParams(q: TradesQuery): string {
  const p = new URLSearchParams();
  if (q.tickers?.length) p.set('ticker', q.tickers.join(','));
  if (q.side) p.set('side', q.side);
  if (q.outcome) p.set('outcome', q.outcome);
  if (q.exitReasons?.length) p.set('exit', q.exitReasons.join(','));
  if (q.status) p.set('status', q.status);
  if (q.runs?.length) p.set('run', q.runs.join(','));
  if (q.since !== undefined) p.set('since', new Date(q.since).toISOString());
  if (q.until !== undefined) p.set('until', new Date(q.until).toISOString());
  if (q.sort) p.set('sort', q.sort);
  if (q.descending) p.set('desc', '1');
  const text = p.toString();
  return text ? `?${text}` : '';
}

export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryPart);
  switch (parts[0]) {
    case 'event':
      if (parts[1]) return { view: 'event', eventId: parts[1] };
      break;
    case 'replay':
      if (parts[1] && parts[2]) {
        const step = query.get('step');
        if (step !== null && !/^\d{1,15}$/.test(step)) {
          return {
            view: 'replay',
            aggregateType: parts[1],
            aggregateId: parts[2],
            step: null,
            notice: `Ignored a step that is not one (${step}): showing the last.`,
          };
        }
        return { view: 'replay', aggregateType: parts[1], aggregateId: parts[2], step: step === null ? null : Number(step) };
      }
      break;
    case 'position':
      if (parts[1]) return { view: 'position', positionId: parts[1] };
      break;
    case 'trace':
      return { view: 'trace', correlationId: parts[1] ?? null, eventId: query.get('event') };
    case 'aggregates':
      return { view: 'aggregates', aggregateType: parts[1] ?? null };
    case 'stats':
      return { view: 'stats' };
    case 'corrupt':
      return { view: 'corrupt' };
    case 'trades': {
      const { query: q, notice } = parseTradesQuery(query);
      return notice ? { view: 'trades', query: q, notice } : { view: 'trades', query: q };
    }
    case 'performance':
      return { view: 'performance' };
    case 'book': {
      const at = parseTimeParam(query.get('at'));
      return at === null
        ? { view: 'book', asOf: null, notice: `Ignored a time the address gave that is not one (${query.get('at')}).` }
        : { view: 'book', asOf: at ?? null };
    }
    case 'decisions': {
      const by = query.get('by') === 'day' ? 'day' : 'ticker';
      const text = query.get('threshold');
      const threshold = text === null || text === '' ? null : Number(text);
      if (threshold !== null && !Number.isFinite(threshold))
        return { view: 'decisions', by, threshold: null, notice: `Ignored a threshold that is not a number (${text}).` };
      return { view: 'decisions', by, threshold };
    }
    case 'events':
    case undefined:
      break;
    default:
      return { view: 'events', filter: {}, selected: null, notice: `There is no page “${parts[0]}”: showing the events.` };
  }
  const { filter, notice } = parseFilterChecked(query.get('filter'));
  return notice ? { view: 'events', filter, selected: query.get('sel'), notice } : { view: 'events', filter, selected: query.get('sel') };
}

function compactFilter(filter: EventQuery): EventQuery {
  const out: EventQuery = {};
  for (const [key, value] of Object.entries(filter) as [keyof EventQuery, unknown][]) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export function href(route: Route): string {
  switch (route.view) {
    case 'events': {
      const params = new URLSearchParams();
      const filter = compactFilter(route.filter);
      if (Object.keys(filter).length > 0) params.set('filter', JSON.stringify(filter));
      if (route.selected) params.set('sel', route.selected);
      const query = params.toString();
      return `#/events${query ? `?${query}` : ''}`;
    }
    case 'event':
      return `#/event/${enc(route.eventId)}`;
    case 'replay':
      return `#/replay/${enc(route.aggregateType)}/${enc(route.aggregateId)}${route.step !== null ? `?step=${route.step}` : ''}`;
    case 'position':
      return `#/position/${enc(route.positionId)}`;
    case 'trace':
      return route.correlationId ? `#/trace/${enc(route.correlationId)}` : `#/trace?event=${enc(route.eventId ?? '')}`;
    case 'aggregates':
      return `#/aggregates${route.aggregateType ? `/${enc(route.aggregateType)}` : ''}`;
    case 'stats':
      return '#/stats';
    case 'corrupt':
      return '#/corrupt';
    case 'trades':
      return `#/trades${tradesParams(route.query)}`;
    case 'performance':
      return '#/performance';
    case 'book':
      return `#/book${route.asOf !== null ? `?at=${new Date(route.asOf).toISOString()}` : ''}`;
    case 'decisions': {
      const p = new URLSearchParams();
      if (route.by === 'day') p.set('by', 'day');
      if (route.threshold !== null) p.set('threshold', String(route.threshold));
      const text = p.toString();
      return `#/decisions${text ? `?${text}` : ''}`;
    }
  }
}

/** `notice`: a message for the page shown next (a reset filter, an id not found), kept in the history entry. */
export function navigate(route: Route, replace = false, notice?: string): void {
  const next = href(route);
  if (replace || notice !== undefined) {
    history.replaceState(notice !== undefined ? { notice } : null, '', next);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = next;
  }
}

function currentRoute(): Route {
  const route = parseRoute(location.hash);
  const state = history.state as { notice?: unknown } | null;
  if (typeof state?.notice === 'string' && !('notice' in route && route.notice)) return { ...route, notice: state.notice } as Route;
  return route;
}

/** The notice a route carries (a reset or a not-found), if any. */
export function noticeOf(route: Route): string | null {
  return 'notice' in route && typeof route.notice === 'string' ? route.notice : null;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
