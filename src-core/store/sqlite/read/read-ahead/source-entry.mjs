// The reader thread's entry when catalyst-events runs from its TypeScript sources (tests,
// `npm start`, the bench): tsx (a development dependency, present wherever the sources are)
// loads the .ts sibling. The built package starts dist/reader-thread.mjs instead. A thread
// that fails to start never says it is ready, so the store reads in its own thread.
const { tsImport } = await import('tsx/esm/api');
await tsImport('./reader-thread.ts', import.meta.url);
