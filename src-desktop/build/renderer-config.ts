import { join } from 'node:path';
import type { UserConfig } from 'vite';

/** Chromium of Electron 39, which the served mode's browsers also meet or beat. */
export const RENDERER_TARGET = 'chrome142';

/**
 * The renderer's Vite config, shared by electron-vite (the desktop build) and the served
 * mode's on-demand build. Two entries: the app (index.html) and the HTTP bridge, which the
 * server injects in place of the Electron preload.
 */
export function rendererViteConfig(projectRoot: string, outDir = join(projectRoot, 'out/renderer')): UserConfig {
  const renderer = join(projectRoot, 'src-desktop/renderer');
  return {
    root: renderer,
    base: './',
    publicDir: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: RENDERER_TARGET,
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      rolldownOptions: {
        input: {
          index: join(renderer, 'index.html'),
          'http-bridge': join(projectRoot, 'src-desktop/preload/http-bridge.ts'),
        },
        output: {
          // The server injects the bridge by this fixed name.
          entryFileNames: (chunk) => (chunk.name === 'http-bridge' ? 'http-bridge.js' : 'assets/[name]-[hash].js'),
        },
      },
    },
  };
}
