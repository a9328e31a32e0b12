import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BrowserLaunch {
  /** The launch page the opener was given (readable by this user only). */
  file: string;
  /** Deletes the launch page; also done after `keepMs` on its own. */
  remove(): void;
}

export interface OpenOptions {
  /** The opener and its leading arguments; default per platform (xdg-open, open, cmd /c start). */
  opener?: readonly string[];
  /** How long the launch page outlives the call, for a browser that is slow to start. Default 60 s. */
  keepMs?: number;
}

function defaultOpener(): string[] {
  if (process.platform === 'darwin') return ['open'];
  if (process.platform === 'win32') return ['cmd', '/c', 'start', ''];
  return ['xdg-open'];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Opens the token URL in the default browser without putting the token on any command line
 * (every local user can read a process's arguments): the opener gets the path of a small
 * page, in a fresh 0700 folder and itself 0600, that sends the browser on to the URL. The
 * server then keeps the token in an HttpOnly cookie and the page drops it from the address bar.
 * Best effort: a workstation without a desktop just prints the URL. null when nothing ran.
 */
export function openInBrowser(url: string, options: OpenOptions = {}): BrowserLaunch | null {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-open-'));
  const file = join(dir, 'open-viewer.html');
  const target = escapeHtml(url);
  writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">` +
      `<meta http-equiv="refresh" content="0;url=${target}"><title>Catalyst Events</title>` +
      `<p><a href="${target}">Open the Catalyst Events viewer</a></p>\n`,
    { mode: 0o600, flag: 'wx' },
  );
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const timer = setTimeout(remove, options.keepMs ?? 60_000);
  timer.unref();
  const [command, ...args] = options.opener ?? defaultOpener();
  try {
    spawn(command!, [...args, file], { detached: true, stdio: 'ignore' })
      .on('error', () => undefined)
      .unref();
  } catch {
    remove(); // no opener installed
    return null;
  }
  return { file, remove };
}
