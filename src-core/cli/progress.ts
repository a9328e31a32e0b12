import cliProgress from 'cli-progress';
import type { CliIo } from './io';

export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** A bar on stderr when it is a terminal; nothing at all in a pipe or a log file. */
export function createProgress(io: CliIo): Progress {
  if (!io.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `{label} ${io.ce.cyan('{bar}')} {value}/{total} · {eta_formatted} left`,
      barsize: Math.max(10, Math.min(40, io.width - 50)),
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      if (running) bar.stop();
      bar.start(total, 0, { label });
      running = true;
    },
    update(done) {
      if (running) bar.update(done);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
