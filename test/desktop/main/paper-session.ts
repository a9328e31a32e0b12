import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const root = join(import.meta.dirname, '../../..');

/** (Not the shared fixtures' tempDir: this helper stays free of the fixtures' store imports.) */
export function tempDir(prefix = 'catalyst-desktop-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A paper-bot session written by the reference bot, as a trader would run it (`npm start -- --days N --seed S`). */
export async function paperSession(days = 20, seed = 5): Promise<string> {
  const file = join(tempDir('catalyst-paper-'), `s${seed}-${days}d.db`);
  await promisify(execFile)(
    join(root, 'node_modules/.bin/tsx'),
    [join(root, 'examples/paper-bot/main.ts'), '--days', String(days), '--seed', String(seed), '--db', file],
    {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return file;
}
