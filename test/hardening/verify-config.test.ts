import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../support/temp';
import { prepared } from '../support/prepared-event';

/**
 * Issue 18 item 8 (documented, README "Hardening"): `verify` imported a plugin named by the
 * config file in the working directory, while `events` did not. The rule, now the same for
 * every command: a command that rebuilds or checks payloads (show, replay, trace, verify,
 * serve) loads the plugins the config names, since it needs their reducers and schemas; a
 * command that only lists rows (events, tail, stats) runs no plugin code. The config is the
 * bot's own: run catalyst-events only in folders you trust, as you would `npm run`.
 */
const root = join(import.meta.dirname, '../..');
const tmp = tempDir('catalyst-hardening-verify-');
afterAll(() => tmp.cleanup());

function cli(args: string[], cwd: string) {
  const bin = existsSync(join(root, 'src-desktop/cli/bin.mjs')) ? 'src-desktop/cli/bin.mjs' : 'src-core/cli/bin.mjs';
  return spawnSync(process.execPath, [join(root, bin), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
}

describe('read commands in a folder with a config naming a plugin', () => {
  const dir = tmp.dir;
  const file = join(dir, 'events.db');
  const store = SqliteEventStore.open({ file });
  store.append(prepared({ event_type: 'TICKED', aggregate_type: 'meter', aggregate_id: 'm', payload: { n: 1 } }));
  store.close();
  copyFileSync(file, join(dir, 'other.db'));
  const marker = join(dir, 'PLUGIN-CODE-RAN');
  writeFileSync(
    join(dir, 'planted-plugin.mjs'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, process.argv.slice(2).join(' '));\n` +
      `export default { name: 'planted', version: '1.0.0', coreApi: '^1.0.0', register() {} };\n`,
  );
  writeFileSync(join(dir, 'catalyst-events.config.json'), JSON.stringify({ plugins: ['./planted-plugin.mjs'] }));

  it.each([['events'], ['stats']])('%s --db FILE (lists rows) runs none of its code', (...command) => {
    rmSync(marker, { force: true });
    const result = cli([...command, '--db', join(dir, 'other.db')], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(marker), `${command.join(' ')}: ${result.stdout}${result.stderr}`).toBe(false);
  });

  it.each([['verify'], ['show', 'meter', 'm']])(
    '%s --db FILE (rebuilds, checks schemas) loads the plugins the config names',
    (...command) => {
      rmSync(marker, { force: true });
      const result = cli([...command, '--db', join(dir, 'other.db')], dir);
      expect(result.stderr).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
      expect(existsSync(marker), `${command.join(' ')}: ${result.stdout}${result.stderr}`).toBe(true);
    },
  );
});
