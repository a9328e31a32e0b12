/**
 * The viewer's security settings as plain constants, in a module that does not import
 * electron, so they are unit-tested under Node and shared by the Electron shell and the
 * served mode (which sends the same CSP as a header).
 */

/**
 * No remote anything: scripts, styles, data and images come from the app itself. This is the
 * policy index.html carries in its meta tag (where frame-ancestors is not allowed).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** The served mode sends the same policy as a header, where it can also forbid framing. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;

/** BrowserWindow webPreferences (the preload path is added by the shell). */
export const WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const);

/** Headers the served mode adds to every response. */
export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
} as const);

/**
 * Whether the window may navigate to `target` (and whether a frame at `target` may use IPC).
 * Only the app's own page: the whole origin must match — for `file:` URLs the host too, so
 * `file://evil.example/<app path>` (a UNC share on Windows) is not the app — and, for files,
 * the same path. Everything else is refused, and new windows are always denied.
 */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  let to: URL;
  let app: URL;
  try {
    to = new URL(target);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (to.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return to.host === app.host && to.pathname === app.pathname && to.username === '' && to.password === '';
  return to.origin === app.origin;
}

/**
 * The development server URL (electron-vite's ELECTRON_RENDERER_URL), only when running from
 * sources: a packaged app ignores it (else anyone who can set its environment picks the page
 * it loads, and that page gets the IPC bridge). Even in development only a loopback http URL.
 */
export function developmentRendererUrl(env: Readonly<Record<string, string | undefined>>, isPackaged: boolean): string | null {
  const value = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !value) return null;
  try {
    const url = new URL(value);
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return url.protocol === 'http:' && loopback ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Whether a frame may navigate (Electron's will-frame-navigate, which also sees subframes):
 * the app has no frames of its own, so only its main frame, and only to the app's page.
 */
export function isAllowedFrameNavigation(target: string, isMainFrame: boolean, appUrl: string): boolean {
  return isMainFrame && isAllowedNavigation(target, appUrl);
}

/** Permission requests (camera, notifications, ...) the renderer may make: none. */
export function isAllowedPermission(_permission: string): boolean {
  return false;
}
