import type { DataChange } from '../shared/api';

export interface DataVersionSource {
  /** SQLite's `PRAGMA data_version`: changes when another connection commits. */
  dataVersion(): number;
}

export interface HeadSource {
  headPosition(): Promise<number>;
}

export type DataChangeListener = (change: DataChange) => void;

/**
 * Tells listeners that another process (the bot) appended events. Polling data_version costs
 * one pragma per tick; the head is read only when it moved. The timer runs only while
 * someone listens and is unref'd so it never keeps a process alive.
 */
export class DataChangeWatcher {
  private readonly listeners = new Set<DataChangeListener>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastVersion: number | null = null;
  private lastHead: number | null = null;
  private checking = false;

  constructor(
    private readonly versions: DataVersionSource | null,
    private readonly heads: HeadSource,
    private readonly intervalMs = 500,
  ) {}

  subscribe(listener: DataChangeListener): () => void {
    this.listeners.add(listener);
    if (this.timer === null) void this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** One poll. Public so tests (and a "refresh" button) can drive it without waiting on timers. */
  async check(): Promise<DataChange | null> {
    if (this.checking) return null;
    this.checking = true;
    try {
      if (this.versions) {
        const version = this.versions.dataVersion();
        const moved = this.lastVersion !== null && version !== this.lastVersion;
        this.lastVersion = version;
        if (!moved && this.lastHead !== null) return null;
      }
      const head = await this.heads.headPosition();
      const previous = this.lastHead;
      this.lastHead = head;
      if (previous === null || head === previous) return null;
      const change: DataChange = { head, added: Math.max(0, head - previous) };
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch {
          // A renderer that went away must not stop the others from hearing about it.
        }
      }
      return change;
    } finally {
      this.checking = false;
    }
  }

  private async start(): Promise<void> {
    // Baseline first, so the first tick reports only what arrived after subscribing.
    this.timer = setInterval(() => void this.check().catch(() => undefined), this.intervalMs);
    this.timer.unref?.();
    await this.check().catch(() => undefined);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
