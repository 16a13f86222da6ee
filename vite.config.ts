import { gzipAsync } from '@gfx/zopfli'
import minifyTemplateLiterals from 'rollup-plugin-minify-template-literals'
import { defineConfig } from 'vite'
import { constants as zlib } from 'node:zlib'
import { compression, defineAlgorithm } from 'vite-plugin-compression2'

const zopfliGzip = async (input: unknown): Promise<Buffer> =>
  Buffer.from(await gzipAsync(Buffer.from(input as Uint8Array), { numiterations: 15 }))

/**
 * Builds the embed script: `client/embed.ts` and everything it uses (Lit, Socket.IO client)
 * into one self-contained ES module, `dist/client/tidings.js`, served by the hub.
 */
export default defineConfig({
  plugins: [
    // Lit's `html` and `css` templates are string content to a JS minifier, kept as written;
    // this plugin minifies them as markup and styles.
    minifyTemplateLiterals({ include: ['client/**/*.ts'], failOnError: true }),
    // Precompressed copies, served by the hub as the browser accepts them (static-assets.ts):
    // compressed once at build time, at levels too slow to use per request. Zopfli writes
    // standard gzip about 4% smaller than zlib's best.
    compression({
      include: /\.js$/,
      filename: '[path][base].gz',
      algorithms: [defineAlgorithm(zopfliGzip, {})],
    }),
    compression({
      include: /\.js$/,
      algorithms: [defineAlgorithm('brotliCompress', { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } })],
    }),
  ],
  // Nothing to copy: the demo page is served from client/demo by the hub itself.
  publicDir: false,
  build: {
    // Only dist/client is emptied; the server build lives next to it in dist/server.
    outDir: 'dist/client',
    emptyOutDir: true,
    target: 'es2022',
    // Terser with two compress passes: about 1 KB smaller than the default minifier here, which
    // keeps the embed inside its 30 KB (gzip) budget.
    minify: 'terser',
    terserOptions: { module: true, compress: { passes: 2 }, format: { comments: false } },
    // No `sourceMappingURL` comment: the map is public only when the hub is configured to
    // serve it, and then the hub points to it with a `SourceMap` header.
    sourcemap: 'hidden',
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        // Vite keeps whitespace and annotations in ES libraries, for bundlers that re-bundle
        // them; this file is loaded by browsers as is, so it gets the full treatment.
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
    lib: {
      entry: 'client/embed.ts',
      formats: ['es'],
      fileName: () => 'tidings.js',
    },
  },
})
