/**
 * The served viewer standalone, until the CLI wires `catalyst-events serve`:
 *   npx tsx src-desktop/serve-main.ts --db ./data/events.db [--port 0] [--open]
 * Prints the URL (with its token) and serves until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { runServe } from './serve/serve-command';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    pg: { type: 'string' },
    port: { type: 'string', default: '0' },
    open: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be 0..65535, got ${values.port}\n`);
  process.exit(2);
}
const handle = await runServe({
  ...(values.db !== undefined ? { db: values.db } : {}),
  ...(values.pg !== undefined ? { pg: values.pg } : {}),
  port,
  open: values.open,
});
process.stdout.write(`Catalyst Events viewer (read-only): ${handle.url}\n`);
const stop = () => void handle.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
