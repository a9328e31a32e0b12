// Electron is an optional dependency that cannot be installed on the build machines; tell
// electron-vite which major to target instead of letting it read electron/package.json.
process.env.ELECTRON_MAJOR_VER ??= '39';

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererViteConfig } from './src-desktop/build/renderer-config';

const root = fileURLToPath(new URL('.', import.meta.url));
const electronExternal = ['electron', /^electron\/.+/];

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: { index: 'src-desktop/main/index.ts' },
        external: electronExternal,
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only `electron`: bundle everything else, as CommonJS.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: 'src-desktop/preload/index.ts' },
        external: electronExternal,
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererViteConfig(root),
});
