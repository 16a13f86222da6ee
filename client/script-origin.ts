import { setDefaultServer } from './connection/default-server.js'

// In the built bundle this module is part of tidings.js, so `import.meta.url` is the script's
// own address: a page embedding the hub's script talks to that hub unless told otherwise.
setDefaultServer(new URL(import.meta.url).origin)
