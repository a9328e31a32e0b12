import { CommanderError } from 'commander';
import type { CommandContext } from './context';
import { EXIT, toExitReport } from './errors';
import { type CliIo, processIo } from './io';
import type { PluginList } from './source-options';
import { buildProgram, type CliCommand } from './program';

/** What {@link runCli} runs with; every field defaults to the real process. */
export interface RunCliOptions {
  /**
   * The plugins every session loads when the config names none: the application's default
   * list (the composition root passes the built-ins, as a function that imports them). Default: none.
   */
  plugins?: PluginList;
  /** Commands the application adds to the core's (the composition root adds `serve`). */
  commands?: readonly CliCommand[];
  /** Where output goes (default: the process's stdout and stderr). */
  io?: CliIo;
  /** Directory relative paths and the config file are found from (default: `process.cwd()`). */
  cwd?: string;
  /** Environment read for `CATALYST_EVENTS_*` (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** The current time, Unix ms (default: `Date.now`); `--since`, `--until` and ages count from it. */
  now?: () => number;
}

/**
 * Runs one CLI invocation and returns its exit code: 0 fine, 1 problems found (verify) or an
 * internal error, 2 bad input. Errors become one line on stderr; `--debug` adds the stack.
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io = options.io ?? processIo();
  const debug = argv.includes('--debug');
  const controller = new AbortController();
  // No handler unless a command asks for one: with a handler installed, Node only queues the
  // signal for JavaScript, and a command busy in a synchronous fold would ignore Ctrl-C and
  // SIGTERM. Without one the signal ends the process at once; reads leave the file as it was
  // and a write's open transaction is rolled back by SQLite.
  let trapping = false;
  const onSignal = (): void => {
    if (!controller.signal.aborted) controller.abort();
    else process.exit(130); // a second Ctrl-C while it winds down
  };
  const ctx: CommandContext = {
    io,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    now: options.now ?? Date.now,
    ...(options.plugins !== undefined ? { plugins: options.plugins } : {}),
    interrupts: () => {
      if (!trapping) {
        trapping = true;
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      }
      return controller.signal;
    },
  };
  let exitCode: number = EXIT.ok;
  const program = buildProgram(
    ctx,
    (code) => {
      exitCode = code;
    },
    options.commands,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its one-line message (or the help / version).
      const shown = error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version';
      exitCode = shown ? EXIT.ok : EXIT.usage;
    } else {
      const report = toExitReport(error);
      io.err(`${io.ce.red('catalyst-events:')} ${report.message}\n`);
      if (debug && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
      exitCode = report.exitCode;
    }
  } finally {
    if (trapping) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  return exitCode;
}

/** A bin's entry: run, then let the process end on its own so stdout drains. */
export async function main(argv: readonly string[] = process.argv.slice(2), options: Omit<RunCliOptions, 'io'> = {}): Promise<void> {
  // `catalyst-events events | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await runCli(argv, options);
}
