// Resolves `electron` to the desktop build tests' stub (a module hook: the app imports it by name).
const stub = new URL('../../desktop/build/electron-stub.mjs', import.meta.url).href;
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: stub, shortCircuit: true };
  return next(specifier, context);
}
