import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

describe('the store owns its connection', () => {
  const files = ['src-core', 'src-plugins', 'src-desktop']
    .flatMap((dir) => sources(join(ROOT, dir)))
    .map((path) => relative(ROOT, path))
    .filter((path) => !path.startsWith('src-core/store/'));

  it('no source file outside src-core/store opens SQLite or reaches for a store connection', () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((path) => {
      const text = readFileSync(join(ROOT, path), 'utf8');
      return /from ['"]better-sqlite3['"]/.test(text) || /\.connection\b/.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('the position-or-rowid join is written in one file', () => {
    const all = sources(join(ROOT, 'src-core/store')).map((p) => relative(ROOT, p));
    const joining = all.filter((path) =>
      /e\.rowid = p\.log_rowid|p\.log_rowid = e\.rowid|e\.event_id = p\.event_id|p\.event_id = e\.event_id/.test(
        readFileSync(join(ROOT, path), 'utf8'),
      ),
    );
    expect(joining).toContain('src-core/store/sqlite/positions.ts');
    // Besides positions.ts: the 1 → 2 migration (it reads the old layout to build the new one)
    // and archive-segment.ts (retention's copy between two attached logs).
    expect(
      joining.filter((p) => !p.endsWith('positions.ts') && !p.endsWith('archive-segment.ts') && !p.endsWith('schema/migrate.ts')),
    ).toEqual([]);
  });
});
