import minifyTemplateLiterals from 'rollup-plugin-minify-template-literals'
import { defineConfig } from 'vite'

/**
 * Builds the embed script: `client/embed.ts` and everything it uses (Lit, Socket.IO client)
 * into one self-contained ES module, `dist/client/tidings.js`, served by the hub.
 */
export default defineConfig({
  plugins: [
    // Lit's `html` and `css` templates are string content to a JS minifier, kept as written;
    // this plugin minifies them as markup and styles.
    minifyTemplateLiterals({ include: ['client/**/*.ts'], failOnError: true }),
  ],
  // Nothing to copy: the demo page is served from client/demo by the hub itself.
  publicDir: false,
  build: {
    // Only dist/client is emptied; the server build lives next to it in dist/server.
    outDir: 'dist/client',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        // Vite keeps whitespace and annotations in ES libraries, for bundlers that re-bundle
        // them; this file is loaded by browsers as is, so it gets the full treatment.
        minify: true,
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
