// A module resolution hook that makes `import 'express'` load Express 4 (installed as `express4`),
// so the plugin is exercised exactly as it would run inside an Express 4 host.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'express') return nextResolve('express4', context);
  return nextResolve(specifier, context);
}
