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
 * Whether the window may navigate to `target`. Only the app's own page (file:// under the
 * renderer directory, or the dev server in development) — everything else is refused, and
 * new windows are always denied.
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
  if (app.protocol === 'file:') return to.pathname === app.pathname;
  return to.origin === app.origin;
}

/** Permission requests (camera, notifications, ...) the renderer may make: none. */
export function isAllowedPermission(_permission: string): boolean {
  return false;
}
