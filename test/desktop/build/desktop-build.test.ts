import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEB_PREFERENCES } from '../../../src-desktop/main/security';
import { QUERY_METHODS } from '../../../src-desktop/shared/api';
import { tempDir, writeTradeLog } from '../fixtures';

/**
 * `npm run build:desktop` (electron-vite) without the electron package, and the bundles it
 * makes run the way Electron would run them: the main process under Node against an electron
 * stub, the preload in a sandbox-like VM whose `require` knows only `electron`.
 */
const root = join(import.meta.dirname, '../../..');

/** The last line main-driver.mjs prints: what the built main process did, as JSON. */
interface DriverReport {
  errors: unknown[];
  sandboxEnabled: unknown;
  webPreferences: unknown;
  loaded: unknown;
  title: unknown;
  channels: unknown;
  info: { value: { plugins: { name: string }[] } };
  page: { value: { records: unknown[] } };
  badArgs: unknown;
  foreignFrame: unknown;
  replay: { value: { steps: { changes: unknown[] }[] } };
  recent: { value: { path: string }[] };
  windowOpen: unknown;
  navigateAway: unknown;
  navigateInApp: unknown;
  remoteRequestCancelled: unknown;
  requestFilter: { urls: unknown };
  permissionGranted: unknown;
  quit: unknown;
}
let work: string;
let out: string;

beforeAll(() => {
  work = tempDir('catalyst-build-');
  out = join(work, 'out');
  // The script's own command, into a temp folder so the checkout's out/ is left alone; without
  // ELECTRON_MAJOR_VER in the environment, as on a fresh machine (the config must set it).
  const { ELECTRON_MAJOR_VER: _unset, ...env } = process.env;
  execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--outDir', out, '--logLevel', 'warn'], {
    cwd: root,
    env,
    stdio: 'pipe',
  });
}, 120_000);

describe('the desktop build', () => {
  it('produces out/main, out/preload and out/renderer/index.html', () => {
    for (const file of ['main/index.js', 'preload/index.cjs', 'renderer/index.html', 'renderer/http-bridge.js']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const html = readFileSync(join(out, 'renderer/index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).toContain('Content-Security-Policy');
  });

  it('keeps electron and native modules out of the main bundle, and bundles the plugins in', () => {
    const main = readFileSync(join(out, 'main/index.js'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    expect(main).toMatch(/from "better-sqlite3"/);
    expect(main).toContain('POSITION_PRICE_UPDATED'); // the position plugin's schemas came along
  });

  it('the preload runs with only `electron` to require, and exposes one typed API over IPC', async () => {
    const code = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve(
            args[1] === 'stats' ? { ok: false, error: { code: 'NO_FILE', message: 'nothing open' } } : { ok: true, value: 'answer' },
          );
        },
        on: (...args: unknown[]) => invoked.push(['on', ...args]),
        removeListener: (...args: unknown[]) => invoked.push(['off', ...args]),
      },
    };
    const required: string[] = [];
    const require = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    runInNewContext(code, { require, module: { exports: {} }, exports: {} });
    expect(required).toEqual(['electron']);
    const api = exposed.catalyst as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual(
      [...QUERY_METHODS, 'exportEvents', 'onDataChanged', 'openFile', 'openRecent', 'recentFiles'].sort(),
    );
    expect(Object.isFrozen(api)).toBe(true);
    await expect(api.eventsPage!({ limit: 5 })).resolves.toBe('answer');
    expect(invoked[0]).toEqual(['catalyst:query', 'eventsPage', { limit: 5 }]);
    await expect(api.stats!()).rejects.toThrow('NO_FILE: nothing open');
    const off = api.onDataChanged!(() => undefined) as () => void;
    off();
    expect(invoked.filter((c) => c[0] === 'on' || c[0] === 'off').map((c) => [c[0], c[1]])).toEqual([
      ['on', 'catalyst:data-changed'],
      ['off', 'catalyst:data-changed'],
    ]);
  });

  it('the main process bundle opens the file from its command line, answers IPC, and enforces its security hooks', () => {
    // Beside the bundle: the electron stub, and the real runtime dependencies.
    const modules = join(work, 'node_modules');
    mkdirSync(join(modules, 'electron'), { recursive: true });
    copyFileSync(join(import.meta.dirname, 'electron-stub.mjs'), join(modules, 'electron/index.mjs'));
    writeFileSync(join(modules, 'electron/package.json'), JSON.stringify({ name: 'electron', type: 'module', exports: './index.mjs' }));
    // What a packaged app ships: the package's run-time dependencies (and pg, the optional peer).
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const dep of [...Object.keys(manifest.dependencies), 'pg']) {
      symlinkSync(join(root, 'node_modules', dep), join(modules, dep), 'dir');
    }
    copyFileSync(join(import.meta.dirname, 'main-driver.mjs'), join(work, 'main-driver.mjs'));
    const log = join(work, 'trades.db');
    writeTradeLog(log, 2);
    const userData = join(work, 'user-data');
    const output = execFileSync(process.execPath, [join(work, 'main-driver.mjs'), out, log], {
      cwd: work,
      env: { ...process.env, STUB_USER_DATA: userData },
      encoding: 'utf8',
    });
    const report = JSON.parse(output.trim().split('\n').at(-1)!) as DriverReport;
    expect(report.errors).toEqual([]);
    expect(report.sandboxEnabled).toBe(true);
    expect(report.webPreferences).toEqual({ ...WEB_PREFERENCES, preload: join(out, 'preload/index.cjs') });
    expect(report.loaded).toEqual({ file: join(out, 'renderer/index.html') });
    expect(report.title).toBe('trades.db — Catalyst Events');
    expect(report.channels).toEqual([
      'catalyst:export',
      'catalyst:open-file',
      'catalyst:open-recent',
      'catalyst:query',
      'catalyst:recent-files',
    ]);
    expect(report.info).toMatchObject({ ok: true, value: { fileName: 'trades.db', mode: 'electron', readOnly: true } });
    expect(report.info.value.plugins.map((p) => p.name).sort()).toEqual(['alert', 'order', 'position', 'risk']);
    expect(report.page.value.records).toHaveLength(2);
    expect(report.badArgs).toMatchObject({ ok: false, error: { code: 'BAD_QUERY' } });
    expect(report.foreignFrame).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(report.replay.value.steps.at(-1)!.changes).toContainEqual(expect.objectContaining({ path: '$.status', after: 'closed' }));
    expect(report.recent.value.map((r) => r.path)).toEqual([log]);
    expect(report.windowOpen).toEqual({ action: 'deny' });
    expect(report.navigateAway).toBe(true);
    expect(report.navigateInApp).toBe(false);
    expect(report.remoteRequestCancelled).toBe(true);
    expect(report.requestFilter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*']));
    expect(report.permissionGranted).toBe(false);
    expect(report.quit).toBe(true);
  });
});
