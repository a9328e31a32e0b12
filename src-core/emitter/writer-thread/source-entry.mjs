// The writer thread's entry when catalyst-events runs from its TypeScript sources (tests,
// `npm start`, the bench): Node cannot load the .ts sibling by itself, so tsx (a development
// dependency, present wherever the sources are) loads it. The built package starts
// dist/writer-thread.mjs instead and never reaches this file.
import { workerData } from 'node:worker_threads';

try {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport('./worker.ts', import.meta.url);
} catch (error) {
  // Nothing else can tell the bot's thread, which may be waiting for an answer.
  workerData.replies.postMessage({
    kind: 'fatal',
    error: { name: 'Error', message: `the writer thread did not start: ${error?.message ?? error}`, stack: error?.stack, props: {} },
  });
  const wake = new Int32Array(workerData.signal);
  Atomics.add(wake, 0, 1);
  Atomics.notify(wake, 0);
}
