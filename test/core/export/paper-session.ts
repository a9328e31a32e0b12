import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A multi-day paper-bot session (real plugins, real decorators) written into `file`. */
export function writePaperSession(file: string, days = 2, seed = 7): void {
  execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'examples/paper-bot/main.ts'), '--db', file, '--days', String(days), '--seed', String(seed)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}
