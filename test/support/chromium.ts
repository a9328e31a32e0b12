/** Debian's Chromium, as every browser test launches it through playwright-core (never a downloaded browser). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, no sandbox (root in CI), no GPU, and none of the browser's own network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
