import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src-core/events/types';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../support/temp';
import { prepared } from '../support/prepared-event';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';

/**
 * Issue 18 item 5: `serve --open` puts no token on any command line, and the page drops the
 * token from the address bar once loaded. A real serve process, a stand-in `xdg-open` on PATH
 * that records what it was given, and Debian's Chromium opening exactly that.
 */
const root = join(import.meta.dirname, '../..');
const tmp = tempDir('catalyst-hardening-token-');
const children: ChildProcess[] = [];
let context: BrowserContext | null = null;

afterAll(async () => {
  await context?.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  tmp.cleanup();
});

/** The serve entry as it lives now (the CLI's composition root once it exists). */
function serveEntry(): string[] {
  const cli = join(root, 'src-desktop/cli/bin.mjs');
  if (existsSync(cli)) return [cli, 'serve'];
  return [join(root, 'src-desktop/serve-main.ts')];
}

describe('serve --open', () => {
  let opened: { argv: string[]; mode: string; dirMode: string; env: string };
  let printedUrl: string;

  beforeAll(async () => {
    const file = tmp.file('events.db');
    const store = SqliteEventStore.open({ file });
    const event: NewEvent = { event_type: 'TICKED', aggregate_type: 'meter', aggregate_id: 'm', payload: { n: 1 } };
    store.append(prepared(event));
    store.close();
    // The stand-in opener: records its arguments, the launch file's and folder's modes, and
    // whatever of its environment mentions a token.
    const bin = tmp.file('bin');
    const record = tmp.file('opened.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'xdg-open'),
      `#!/bin/sh\nnode -e 'const fs=require("fs");const f=process.argv[1];` +
        `fs.writeFileSync(${JSON.stringify(record)},JSON.stringify({argv:process.argv.slice(1),` +
        `mode:(fs.statSync(f).mode&0o777).toString(8),dirMode:(fs.statSync(require("path").dirname(f)).mode&0o777).toString(8),` +
        `env:Object.entries(process.env).filter(([k,v])=>/token=/i.test(v)).map(([k])=>k).join()}))' "$@"\n`,
    );
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const child = spawn(process.execPath, ['--import', 'tsx', ...serveEntry(), '--db', file, '--port', '0', '--open'], {
      cwd: root,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout });
    printedUrl = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(line);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const deadline = Date.now() + 30_000;
    while (!existsSync(record)) {
      if (Date.now() > deadline) throw new Error('the opener never ran');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 100)); // the recorder's write
    opened = JSON.parse(readFileSync(record, 'utf8')) as typeof opened;
  });

  it('gives the opener a file readable by this user only, never the token', () => {
    const token = new URL(printedUrl).searchParams.get('token')!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(opened.argv).toHaveLength(1);
    expect(opened.argv.join(' ')).not.toContain(token);
    expect(opened.argv[0]).not.toMatch(/^https?:/);
    expect(opened.mode).toBe('600');
    expect(opened.dirMode).toBe('700');
    expect(opened.env).toBe('');
  });

  it('in Chromium: the launch page leads to the viewer, the token is gone from the address bar and from script', async () => {
    const launch = opened.argv[0]!;
    expect(statSync(dirname(launch)).isDirectory()).toBe(true);
    context = await chromium.launchPersistentContext(tmp.file('chromium'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`file://${launch}`);
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//, { timeout: 30_000 });
    // The app has loaded and answered a query (the file's name comes from the info query).
    await page.waitForFunction(() => document.body.innerText.includes('events.db'), undefined, { timeout: 30_000 });
    const token = new URL(printedUrl).searchParams.get('token')!;
    expect(page.url()).not.toContain('token');
    const seen = await page.evaluate(() => ({ href: location.href, cookie: document.cookie, referrer: document.referrer }));
    expect(seen.href).not.toContain(token);
    expect(seen.href).not.toContain('token=');
    // The cookie that keeps the session is HttpOnly: script cannot read it.
    expect(seen.cookie).not.toContain(token);
    // A reload (the address bar as it now is) still opens the viewer, by the cookie.
    await page.reload();
    await page.waitForFunction(() => document.body.innerText.includes('events.db'), undefined, { timeout: 30_000 });
    expect(page.url()).not.toContain('token');
  });
});
