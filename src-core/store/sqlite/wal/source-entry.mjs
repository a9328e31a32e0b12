// The checkpointer thread's entry when catalyst-events runs from its TypeScript sources (tests,
// `npm start`, the bench): tsx (a development dependency, present wherever the sources are)
// loads the .ts sibling. The built package starts dist/wal-checkpointer.mjs instead. A thread
// that fails to start marks itself closed, and the store checkpoints in its own thread.
import { workerData } from 'node:worker_threads';

try {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport('./checkpointer-thread.ts', import.meta.url);
} catch {
  const control = new Int32Array(workerData.control);
  Atomics.store(control, 0, 4); // CLOSED
  Atomics.notify(control, 0);
}
