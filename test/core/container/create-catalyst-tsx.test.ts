import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { tempDir } from '../../support/temp';

/** The built-ins by module specifier (the core names none: the application passes them). */
const BUILTIN_PLUGINS = ['order', 'position', 'alert', 'risk'].map((name) => `catalyst-events/plugins/${name}`);

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = fileURLToPath(new URL('./fixtures/tsx-entry.ts', import.meta.url));
const ledger = fileURLToPath(new URL('./ledger.ts', import.meta.url));

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('catalyst-tsx-');
});
afterEach(() => tmp.cleanup());

function runUnderTsx(db: string, plugins: string[]): { ok: boolean; loaded?: string[]; types?: string[]; error?: string } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', entry, db, JSON.stringify(plugins)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { ok: boolean; loaded?: string[]; types?: string[]; error?: string };
}

it('under tsx, a bot loads a plugin by path, imports the core by package self-reference, and records', () => {
  const pluginFile = tmp.file('ledger-plugin.ts');
  writeFileSync(pluginFile, `export { ledgerPlugin as plugin } from ${JSON.stringify(ledger)};\n`);
  const result = runUnderTsx(tmp.file('tsx.db'), [pluginFile]);
  expect(result).toEqual({
    ok: true,
    loaded: ['ledger'],
    types: ['LEDGER_TRANSFER_REQUESTED', 'LEDGER_POSTED', 'LEDGER_POSTED'],
  });
});

it('under tsx, the default plugin list loads by package self-reference', () => {
  const result = runUnderTsx(tmp.file('builtins.db'), [...BUILTIN_PLUGINS]);
  expect(result).toEqual({ ok: true, loaded: ['order', 'position', 'alert', 'risk'], types: [] });
});
