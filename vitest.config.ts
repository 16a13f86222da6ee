import { configDefaults, defineConfig } from 'vitest/config'

/** The bench's own smoke test runs with `npm run bench:smoke` (vitest.bench-smoke.config.ts). */
export const BENCH_SMOKE = 'scripts/bench/bench.smoke.test.ts'

export default defineConfig({
  test: {
    include: ['{shared,server,client,scripts}/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, BENCH_SMOKE],
    // Hubs run from source in the tests; only the client bundles the hub serves are built.
    globalSetup: ['test/helpers/client-bundle-setup.ts'],
    // Integration and browser tests start real hubs and Chromium; on a 2-core machine two files
    // at a time keeps them from starving each other.
    maxWorkers: 2,
    // Each worker loads the hub, socket.io, playwright and the helpers once for all its files,
    // not once per file (import time summed over the files: 107 s with isolation, 12 s
    // without). Files still run one at a time per worker, and each starts and stops what it uses.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
})
