import { listenAll, type HubModule, type ModuleContext } from './module.js'

/**
 * The tutorial's first server: greet each connection with `welcome`, echo `message` to all.
 *
 * @example
 * const echo = createEchoModule({ bus, io, log })
 */
export function createEchoModule({ bus, io }: ModuleContext): HubModule {
  return listenAll(bus, {
    'session:opened': ({ socketId }) => {
      io.to(socketId).emit('welcome', 'Welcome to Tidings!')
    },
    'echo:message-sent': ({ text }) => {
      io.emit('message', text)
    },
  })
}
