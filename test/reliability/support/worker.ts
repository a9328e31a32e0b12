import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

export interface RunningWorker {
  child: ChildProcess;
  /** Every complete stdout line so far. */
  readonly lines: string[];
  exited: Promise<WorkerExit>;
}

/**
 * Starts test/reliability/fixtures/<name> under tsx, as one node process. `onLine` sees each stdout line as it
 * arrives (a test kills the child from there, at the moment it chooses).
 */
export function startWorker(
  name: string,
  args: readonly string[],
  onLine?: (line: string, worker: RunningWorker) => void,
  env: NodeJS.ProcessEnv = {},
): RunningWorker {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that a
  // SIGKILL to the CLI would leave running. Here the pid we signal is the writer itself.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const worker: RunningWorker = { child, lines, exited: undefined as unknown as Promise<WorkerExit> };
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      onLine?.(line, worker);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  worker.exited = new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'close' waits for stdio to drain: lines a killed child wrote before dying are all read.
    child.on('close', (code, signal) => {
      if (partial) lines.push(partial);
      resolve({ code, signal, lines, stderr });
    });
  });
  return worker;
}

/** Runs a worker to completion and parses its last stdout line as JSON (its summary). */
export async function runToSummary<T>(name: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<T & { exit: WorkerExit }> {
  const exit = await startWorker(name, args, undefined, env).exited;
  if (exit.code !== 0) throw new Error(`${name} ${args.join(' ')} exited ${exit.code ?? exit.signal}: ${exit.stderr}`);
  const last = exit.lines.filter((l) => l.startsWith('{')).at(-1);
  if (!last) throw new Error(`${name} printed no summary: ${exit.lines.join('\n')}`);
  return { ...(JSON.parse(last) as T), exit };
}
