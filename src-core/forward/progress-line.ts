import type { ForwardProgress } from './types';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Text of one progress line; pure so it is testable without a terminal. */
export function formatProgress(p: ForwardProgress, elapsedMs: number): string {
  const pct = p.head > 0 ? Math.min(100, Math.floor((p.position / p.head) * 100)) : 100;
  const rate = elapsedMs > 0 ? (p.forwarded / elapsedMs) * 1000 : 0;
  const state = p.state === 'following' ? ' following' : p.state === 'retrying' ? ' waiting for PostgreSQL' : '';
  const dup = p.duplicates > 0 ? `, ${fmt(p.duplicates)} already there` : '';
  return (
    `forward ${p.source}: position ${fmt(p.position)}/${fmt(p.head)} (${pct}%), ` +
    `${fmt(p.forwarded)} sent${dup}, ${fmt(rate)} ev/s${state}`
  );
}

/** A single self-overwriting line on a TTY; silent elsewhere (logs, pipes, tests). */
export class ProgressLine {
  private readonly started = Date.now();
  private lastWidth = 0;
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream | null) {}

  static forStream(stream: NodeJS.WriteStream | null | undefined): ProgressLine {
    return new ProgressLine(stream && stream.isTTY ? stream : null);
  }

  update(p: ForwardProgress, force = false): void {
    if (!this.stream) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return; // redraw at most ~10 times a second
    this.lastDraw = now;
    const text = formatProgress(p, now - this.started);
    const columns = this.stream.columns || 120;
    const line = text.length >= columns ? text.slice(0, columns - 1) : text;
    this.stream.write(`\r${line}${' '.repeat(Math.max(0, this.lastWidth - line.length))}`);
    this.lastWidth = line.length;
  }

  done(): void {
    if (this.stream && this.lastWidth > 0) this.stream.write('\n');
    this.lastWidth = 0;
  }
}
