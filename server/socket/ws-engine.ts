import { createRequire } from 'node:module'
import type { ServerOptions } from 'socket.io'
import type { Logger } from '../logger.js'

/** `TIDINGS_WS_ENGINE`: which WebSocket server Engine.IO runs on. */
export const WS_ENGINE_CHOICES = ['ws', 'eiows', 'auto'] as const
export type WsEngineChoice = (typeof WS_ENGINE_CHOICES)[number]

/** The engine in use: `eiows` (native, installed by the operator where it builds) or Engine.IO's default `ws`. */
export interface WsEngine {
  name: 'ws' | 'eiows'
  /** What to give Socket.IO: `{ wsEngine }` for eiows, nothing for its default. */
  options: Pick<ServerOptions, 'wsEngine'>
}

/** Loads a package by name; replaced in tests to play a machine where eiows did not build. */
export type ModuleLoader = (name: string) => unknown

const requireFromHere: ModuleLoader = createRequire(import.meta.url)

/**
 * Picks the WebSocket engine. `eiows` is not a dependency: its native build fetches Node's sources
 * at install time, which fails on many machines, so operators install it where it builds. When it
 * cannot load, the hub runs on `ws`
 * (Engine.IO's default) and says so, rather than refusing to start: `auto` at info level,
 * an explicit `eiows` as a warning.
 *
 * @example
 * const engine = chooseWsEngine('auto', log)
 * new Server(http, { ...engine.options })
 */
export function chooseWsEngine(choice: WsEngineChoice, log: Logger, load: ModuleLoader = requireFromHere): WsEngine {
  if (choice === 'ws') return { name: 'ws', options: {} }
  let reason: string
  try {
    const eiows = load('eiows') as { Server?: unknown }
    if (typeof eiows.Server === 'function') {
      log.info({ wsEngine: 'eiows' }, 'WebSockets run on eiows')
      return { name: 'eiows', options: { wsEngine: eiows.Server } }
    }
    reason = 'the eiows package has no Server export'
  } catch (err) {
    // The first line is enough: the rest of a failed native load is a stack of loader frames.
    reason = String((err as Error).message).split('\n')[0]!
  }
  const level = choice === 'eiows' ? 'warn' : 'info'
  log[level]({ wsEngine: 'ws', requested: choice, reason }, 'eiows cannot be loaded: WebSockets run on ws')
  return { name: 'ws', options: {} }
}
