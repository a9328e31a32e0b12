/** Exit codes a shell reports for a process killed by these signals (128 + signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type ShutdownSignal = keyof typeof SIGNAL_EXIT_CODES;

/**
 * Flushes on SIGINT, SIGTERM and `beforeExit`. Returns the function that removes the
 * handlers (the emitter calls it on close, so many emitters in one process leak nothing).
 *
 * On a signal each emitter flushes and then removes its handler for that signal. If no
 * listener for the signal remains, neither another emitter's nor the bot's, the process
 * exits with 128 + signal number, as it would have without us. If the bot handles the
 * signal itself, it keeps control: we flush and do not exit.
 */
export function installShutdownFlush(flush: () => void, proc: NodeJS.Process = process): () => void {
  const removers: (() => void)[] = [];
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as ShutdownSignal[]) {
    const onSignal = () => {
      proc.off(signal, onSignal);
      flush();
      if (proc.listenerCount(signal) === 0) proc.exit(SIGNAL_EXIT_CODES[signal]);
    };
    proc.on(signal, onSignal);
    removers.push(() => proc.off(signal, onSignal));
  }
  const onBeforeExit = () => flush();
  proc.on('beforeExit', onBeforeExit);
  removers.push(() => proc.off('beforeExit', onBeforeExit));
  return () => {
    for (const remove of removers) remove();
  };
}
