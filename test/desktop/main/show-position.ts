import pc from 'picocolors';
import type { CliIo } from '../../../src-core/cli';
import { runCatalystCli } from '../../../src-desktop/cli/main';

/** `show position ID --json`, in-process, as the CLI prints it (a non-zero exit fails with its stderr). */
export async function showPosition(file: string, id: string): Promise<Record<string, unknown>> {
  let out = '';
  let err = '';
  const colors = pc.createColors(false);
  const io = {
    out: (t: string) => void (out += t),
    err: (t: string) => void (err += t),
    isTTY: false,
    c: colors,
    ce: colors,
    width: 120,
    env: { NO_COLOR: '1' },
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  } as CliIo;
  const code = await runCatalystCli(['show', 'position', id, '--json', '--db', file], { io });
  if (code !== 0) throw new Error(`show position ${id} exited ${code}: ${err}`);
  return JSON.parse(out) as Record<string, unknown>;
}
