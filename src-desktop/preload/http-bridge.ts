/**
 * The served mode's preload: the same API object as the Electron preload, over HTTP. The
 * server injects this script (and the token, in a meta tag) before the app's own script.
 */
import type { DataChange, Envelope, ExportArgs, ExportOutcome } from '../shared/api';
import { API_GLOBAL } from '../shared/api';
import { buildApi, type BridgeTransport } from './build-api';

async function post<T>(token: string, path: string, body: unknown): Promise<Envelope<T>> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Catalyst-Token': token },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  });
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) {
    return { ok: false, error: { code: `HTTP_${response.status}`, message: await response.text() } };
  }
  return (await response.json()) as Envelope<T>;
}

const unsupported = <T>(what: string): Promise<Envelope<T>> =>
  Promise.resolve({ ok: false, error: { code: 'UNSUPPORTED', message: `${what} is not available in the served viewer` } });

export function createHttpTransport(token: string): BridgeTransport {
  const listeners = new Set<(change: DataChange) => void>();
  let source: EventSource | null = null;
  return {
    query: (method, args) => post(token, `/api/query/${encodeURIComponent(method)}`, args),
    exportEvents(args: ExportArgs): Promise<Envelope<ExportOutcome>> {
      // A plain download: the server streams the file, the browser saves it.
      const link = document.createElement('a');
      link.href = `/api/export?format=${args.format}&filter=${encodeURIComponent(JSON.stringify(args.filter))}`;
      link.download = `catalyst-events.${args.format}`;
      document.body.append(link);
      link.click();
      link.remove();
      return Promise.resolve({ ok: true, value: { started: true } });
    },
    openFile: () => unsupported('opening another file'),
    recentFiles: () => Promise.resolve({ ok: true, value: [] }),
    openRecent: () => unsupported('opening another file'),
    subscribe(listener) {
      listeners.add(listener);
      if (!source) {
        source = new EventSource('/api/changes');
        source.addEventListener('change', (event) => {
          const change = JSON.parse((event as MessageEvent<string>).data) as DataChange;
          for (const l of listeners) l(change);
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}

const token = document.querySelector<HTMLMetaElement>('meta[name="catalyst-token"]')?.content ?? '';
Object.defineProperty(window, API_GLOBAL, { value: buildApi(createHttpTransport(token)), writable: false, configurable: false });
