import { execFileSync } from 'node:child_process';
/** One measured figure. `ratio` is against `baseline`, measured in the same run. */
export interface Figure {
  value: number;
  unit: string;
  ratio?: number;
  baseline?: string;
  goal?: string;
  note?: string;
}

export type Figures = Record<string, Figure>;

export interface BenchContext {
  quick: boolean;
  /** A fresh temp directory for this suite's files. */
  dir: string;
  log: (message: string) => void;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Run `fn` and return its wall time in ms. */
export function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Rates in events/s from `count` events over `ms`. */
export const rate = (count: number, ms: number): number => (count / ms) * 1000;

const fmt = (n: number): string =>
  Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toPrecision(3);

function goalMet(figure: Figure): string {
  if (!figure.goal) return '';
  // A goal with a unit ("<= 150 MB") is about the value; a bare number, about the ratio.
  const m = /^(>=|<=)\s*([\d.]+)(\s+\S+)?$/.exec(figure.goal);
  if (!m) return '';
  const target = Number(m[2]);
  const measured = m[3] ? figure.value : figure.ratio;
  if (measured === undefined) return '';
  const ok = m[1] === '>=' ? measured >= target : measured <= target;
  return ok ? 'met' : 'MISSED';
}

export function renderTable(figures: Figures): string {
  const rows = Object.entries(figures).map(([name, f]) => [
    name,
    `${fmt(f.value)} ${f.unit}`,
    f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}x`,
    f.baseline ?? '',
    f.goal ? `${f.goal} ${goalMet(f)}` : '',
  ]);
  const header = ['figure', 'value', 'ratio', 'baseline', 'goal'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Runs `bench/workers/<script>` in a process of its own (through tsx) and returns the JSON on
 * the last line of its stdout; its stderr (progress lines) goes to ours.
 */
export function runWorker<T>(script: string, args: readonly (string | number)[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', `bench/workers/${script}`, ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}
