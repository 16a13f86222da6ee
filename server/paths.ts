import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project folder, found from this file whether it runs from `server/` or `dist/server/`. */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the project folder (no package.json above the server)')
    dir = parent
  }
  return dir
}

const root = findProjectRoot()

export const paths = {
  root,
  /** Vite's output: `tidings.js` and its source map. */
  clientBuild: join(root, 'dist', 'client'),
  /** The demo page served at `/`. */
  demo: join(root, 'client', 'demo'),
}
