import type { CliIo } from './io';
import type { OpenContext } from './source-options';

/** What every command runs with. Nothing global: a test could build one by hand. */
export interface CommandContext extends OpenContext {
  io: CliIo;
  /** The current time, Unix ms (injected so tests fix it). */
  now(): number;
  /**
   * A command that runs until interrupted (tail, serve, interactive replay) calls this: SIGINT
   * and SIGTERM then abort the returned signal instead of killing the process, so it can
   * close the log and exit 0. Other commands are simply killed by Ctrl-C.
   */
  interrupts(): AbortSignal;
}
