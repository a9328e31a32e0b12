import { useEffect, useState } from 'preact/hooks';
import type { EventQuery } from '../shared/api';

/**
 * Hash routes, so links work the same from file:// (Electron) and http:// (served), and the
 * Back key walks through what the trader looked at.
 */
export type Route =
  | { view: 'events'; filter: EventQuery; selected: string | null }
  | { view: 'event'; eventId: string }
  | { view: 'replay'; aggregateType: string; aggregateId: string; step: number | null }
  | { view: 'position'; positionId: string }
  | { view: 'trace'; correlationId: string | null; eventId: string | null }
  | { view: 'aggregates'; aggregateType: string | null }
  | { view: 'stats' }
  | { view: 'corrupt' };

const enc = encodeURIComponent;

export function parseFilter(text: string | null): EventQuery {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as EventQuery) : {};
  } catch {
    return {};
  }
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
  }
  return { view: 'events', filter: parseFilter(query.get('filter')), selected: query.get('sel') };
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
  }
}

export function navigate(route: Route, replace = false): void {
  const next = href(route);
  if (replace) history.replaceState(null, '', next);
  else location.hash = next;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
