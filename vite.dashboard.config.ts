import { mergeConfig } from 'vite'
import embed from './vite.config.js'

/**
 * Builds the operators' dashboard (`client/dashboard/page.ts`, with uPlot) into
 * `dist/dashboard/dashboard.js`, served at `/dashboard.js`. A bundle of its own: it stays out of
 * the public embed script and its size budget. Same plugins and output settings as the embed.
 */
export default mergeConfig(embed, {
  build: {
    outDir: 'dist/dashboard',
    lib: {
      entry: 'client/dashboard/page.ts',
      fileName: () => 'dashboard.js',
    },
  },
})
