import { defineConfig } from 'vitest/config';

// Worker threads started by the TypeScript sources (the embedded store's ingest worker) inherit this execArgv: the
// hooks let them load the `.ts` sources.
const typescriptWorkerHooks = new URL('./test/support/typescript-worker-hooks.mjs', import.meta.url).href;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    execArgv: ['--import', typescriptWorkerHooks],
  },
});
