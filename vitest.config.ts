import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{shared,server,client,scripts}/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration and browser tests start real hub processes and Chromium; on a 2-core machine
    // two files at a time keeps them from starving each other.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
})
