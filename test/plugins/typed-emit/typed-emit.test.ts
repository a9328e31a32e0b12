/**
 * Typed emit is a compile-time property, so this test runs the TypeScript compiler: over
 * fixture.ts as written (every `@ts-expect-error` line must fail, or tsc reports the unused
 * directive, and every other line must compile), and over a copy without the directives
 * (each of those lines must then be an error, the typo among them).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../../..');
const fixture = join(here, 'fixture.ts');

describe('typed emit', () => {
  it('rejects a typo, a wrong payload or aggregate type at compile time; a named type outside the catalogue stays open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typed-emit-'));
    try {
      const source = readFileSync(fixture, 'utf8').replaceAll("'../../../", `'${root}/`);
      const lines = source.split('\n');
      // 1-based line numbers of the statements the directives guard (the line after each).
      const expected = lines.flatMap((line, i) => (line.includes('// @ts-expect-error') ? [i + 2] : []));
      writeFileSync(join(dir, 'as-written.ts'), source);
      writeFileSync(
        join(dir, 'stripped.ts'),
        lines.map((l) => l.replace(/\/\/ @ts-expect-error.*/, '// (expectation removed)')).join('\n'),
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: join(root, 'tsconfig.json'),
          compilerOptions: { typeRoots: [join(root, 'node_modules/@types')] },
          include: [join(dir, 'as-written.ts'), join(dir, 'stripped.ts')],
        }),
      );
      const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--pretty', 'false', '-p', dir], {
        encoding: 'utf8',
      });
      const errors = tsc.stdout.split('\n').filter((l) => l.includes('error TS'));
      expect(errors.filter((l) => !l.includes('stripped.ts'))).toEqual([]);
      const lineOf = (l: string): number => Number(/stripped\.ts\((\d+),/.exec(l)?.[1]);
      expect(expected.length).toBeGreaterThanOrEqual(6);
      expect([...new Set(errors.map(lineOf))].sort((a, b) => a - b)).toEqual(expected);
      expect(errors.find((l) => l.includes('"ORDER_FILED"'))).toMatch(/TS2820.*Did you mean '"ORDER_FILLED"'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000); // one tsc run over the plugins and core: slow on a shared machine
});
