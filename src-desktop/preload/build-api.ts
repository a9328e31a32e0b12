import {
  QUERY_METHODS,
  type CatalystApi,
  type DataChange,
  type Envelope,
  type ExportArgs,
  type ExportOutcome,
  type RecentFile,
  type ViewerInfo,
} from '../shared/api';

/** How a bridge reaches the main side: IPC in Electron, HTTP in the served mode. */
export interface BridgeTransport {
  query(method: string, args: unknown): Promise<Envelope<unknown>>;
  exportEvents(args: ExportArgs): Promise<Envelope<ExportOutcome>>;
  openFile(): Promise<Envelope<ViewerInfo | null>>;
  recentFiles(): Promise<Envelope<RecentFile[]>>;
  openRecent(args: { path: string }): Promise<Envelope<ViewerInfo>>;
  subscribe(listener: (change: DataChange) => void): () => void;
}

/** Errors cross as data; here they become Errors again, the code leading the message. */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
}

/** The one API object both bridges expose. Frozen: the page cannot swap a method. */
export function buildApi(transport: BridgeTransport): CatalystApi {
  const queries = Object.fromEntries(
    QUERY_METHODS.map((method) => [method, async (args?: unknown) => unwrap(await transport.query(method, args))]),
  );
  const api = {
    ...queries,
    exportEvents: async (args: ExportArgs) => unwrap(await transport.exportEvents(args)),
    openFile: async () => unwrap(await transport.openFile()),
    recentFiles: async () => unwrap(await transport.recentFiles()),
    openRecent: async (args: { path: string }) => unwrap(await transport.openRecent(args)),
    onDataChanged: (listener: (change: DataChange) => void) => transport.subscribe(listener),
  } as CatalystApi;
  return Object.freeze(api);
}
