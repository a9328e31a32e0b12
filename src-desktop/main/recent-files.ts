import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RecentFile } from '../shared/api';

const LIMIT = 10;

function isRecentFile(e: unknown): e is RecentFile {
  if (typeof e !== 'object' || e === null) return false;
  const entry = e as Record<string, unknown>;
  return typeof entry.path === 'string' && typeof entry.openedAt === 'number';
}

/**
 * The files this workstation opened lately, newest first, in a small JSON file under the
 * app's user data. The list is also the allow-list for "open recent": the renderer can ask
 * to reopen a path, never to open an arbitrary one.
 */
export class RecentFiles {
  constructor(
    private readonly storeFile: string,
    private readonly limit = LIMIT,
  ) {}

  list(): RecentFile[] {
    try {
      const parsed = JSON.parse(readFileSync(this.storeFile, 'utf8')) as unknown;
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(isRecentFile).slice(0, this.limit);
    } catch {
      return [];
    }
  }

  add(path: string, now = Date.now()): RecentFile[] {
    const full = resolve(path);
    const next = [{ path: full, openedAt: now }, ...this.list().filter((e) => e.path !== full)].slice(0, this.limit);
    mkdirSync(dirname(this.storeFile), { recursive: true });
    // Write-then-rename: a crash mid-write never leaves a torn list.
    const tmp = `${this.storeFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(next, null, 2));
    renameSync(tmp, this.storeFile);
    return next;
  }

  has(path: string): boolean {
    const full = resolve(path);
    return this.list().some((e) => e.path === full);
  }
}
