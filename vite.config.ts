import ts from 'typescript'
import { defineConfig, type Plugin } from 'vite'

/**
 * Drops comments and the spaces CSS does not need. A space before `:` is kept: in a selector it
 * means something. Styles modules hold nothing but their `css` template, so the lines this
 * joins shift no other code in the source maps.
 */
function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    .replace(/([^\w.-])0\.(\d)/g, '$1.$2')
    .replace(/\[([\w-]+)='([a-z][\w-]*)'\]/gi, '[$1=$2]')
    .trim()
}

/**
 * Shrinks the text of Lit's `css` and `html` templates, which minifiers keep as is (it is string
 * content to them): styles are minified, and markup loses its indentation but keeps its line
 * breaks, so it means the same and source maps keep their lines.
 */
function trimLitTemplates(): Plugin {
  return {
    name: 'tidings:trim-lit-templates',
    transform(code, id) {
      if (!/\/client\/.*\.ts$/.test(id) || !/\b(html|css)`/.test(code)) return null
      const source = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true)
      const edits: { start: number; end: number; text: string }[] = []
      const visit = (node: ts.Node): void => {
        const tag = ts.isTaggedTemplateExpression(node) ? node.tag.getText(source) : ''
        if (ts.isTaggedTemplateExpression(node) && (tag === 'html' || tag === 'css')) {
          const template = node.template
          const parts = ts.isNoSubstitutionTemplateLiteral(template)
            ? [template]
            : [template.head, ...template.templateSpans.map((span) => span.literal)]
          for (const part of parts) {
            // The literal's raw text, between its delimiters (` or }, and ` or ${).
            const start = part.getStart(source) + 1
            const end = part.getEnd() - (ts.isTemplateTail(part) || ts.isNoSubstitutionTemplateLiteral(part) ? 1 : 2)
            const raw = code.slice(start, end)
            const text = tag === 'css' ? minifyCss(raw) : raw.replace(/\n[ \t]+/g, '\n')
            if (text !== raw) edits.push({ start, end, text })
          }
        }
        ts.forEachChild(node, visit)
      }
      visit(source)
      if (edits.length === 0) return null
      let out = code
      for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
        out = out.slice(0, start) + text + out.slice(end)
      }
      return { code: out, map: null }
    },
  }
}

/**
 * Leaves Socket.IO's WebTransport transport out of the bundle. The connection only ever asks for
 * `websocket` and `polling` (hub-connection.ts), so it is dead weight: engine.io-client registers
 * every transport in one table, which defeats tree-shaking.
 */
function withoutWebTransport(): Plugin {
  const stub = '\0tidings:no-webtransport'
  return {
    name: 'tidings:without-webtransport',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './webtransport.js' && importer?.includes('/engine.io-client/')) return stub
      return null
    },
    load(id) {
      return id === stub ? 'export class WT {}' : null
    },
  }
}

/**
 * Builds the embed script: `client/embed.ts` and everything it uses (Lit, Socket.IO client)
 * into one self-contained ES module, `dist/client/tidings.js`, served by the hub.
 */
export default defineConfig({
  plugins: [trimLitTemplates(), withoutWebTransport()],
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
