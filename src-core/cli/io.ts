import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** Where a command writes, and what it knows about the terminal. Injected so commands never touch `process`. */
export interface CliIo {
  /** Writes `text` to stdout as is (no newline added). */
  out(text: string): void;
  /** Writes `text` to stderr as is (no newline added). */
  err(text: string): void;
  /** stdout is a terminal: colours, progress bars, interactive replay. */
  readonly isTTY: boolean;
  /** Colours for stdout (no-ops when off). */
  readonly c: Colors;
  /** Colours for stderr. */
  readonly ce: Colors;
  /** Width to fit output into: the terminal's on a TTY, else 80 (or $COLUMNS). */
  readonly width: number;
  /** The environment the command sees. */
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/**
 * Colours follow no-color.org: a non-empty NO_COLOR turns them off, FORCE_COLOR turns them on
 * for a pipe, otherwise only a terminal gets them.
 */
export function colorsEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function terminalWidth(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  if (Number.isFinite(fromEnv) && fromEnv >= 40) return fromEnv;
  if (stream.isTTY && typeof stream.columns === 'number' && stream.columns >= 40) return stream.columns;
  return 80;
}

export function processIo(): CliIo {
  const { stdout, stderr, stdin, env } = process;
  const isTTY = stdout.isTTY === true;
  return {
    out: (text) => void stdout.write(text),
    err: (text) => void stderr.write(text),
    isTTY,
    c: pc.createColors(colorsEnabled(isTTY, env)),
    ce: pc.createColors(colorsEnabled(stderr.isTTY === true, env)),
    width: terminalWidth(stdout, env),
    env,
    stdin,
    stdout,
    stderr,
  };
}
