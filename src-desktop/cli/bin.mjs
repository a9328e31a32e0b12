#!/usr/bin/env node
// The `catalyst-events` command. The package ships TypeScript, so tsx compiles it on the
// fly. Paths come from this file's own URL: it runs through a node_modules/.bin symlink and
// from any working directory, and our tsconfig (decorators) applies whatever the cwd holds.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
const { main } = await import(new URL('./main.ts', import.meta.url).href);
await main(process.argv.slice(2));
