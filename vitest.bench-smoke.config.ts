import { defineConfig } from 'vitest/config'
import { BENCH_SMOKE } from './vitest.config.js'

// `npm run bench:smoke`: the real bench in its tiny mode, apart from `npm test` because it runs
// three servers and a load generator for about a minute. CI runs both.
export default defineConfig({
  test: {
    include: [BENCH_SMOKE],
    testTimeout: 120_000,
    reporters: ['default'],
  },
})
