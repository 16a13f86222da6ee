import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../logger.js'
import { chooseWsEngine, type ModuleLoader } from './ws-engine.js'

function capturedLog() {
  const lines: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    },
  })
  return { log: createLogger('info', sink), lines }
}

const absent: ModuleLoader = () => {
  throw new Error("Cannot find module 'eiows'\nRequire stack:\n- /somewhere")
}
class FakeEiowsServer {}
const present: ModuleLoader = (name) => (name === 'eiows' ? { Server: FakeEiowsServer } : absent(name))

describe('chooseWsEngine', () => {
  it('auto runs on eiows when it loads, and gives Socket.IO its Server', () => {
    const { log } = capturedLog()
    const engine = chooseWsEngine('auto', log, present)
    expect(engine.name).toBe('eiows')
    expect(engine.options.wsEngine).toBe(FakeEiowsServer)
  })

  it('auto falls back to ws when eiows is absent, saying why on one line', async () => {
    const { log, lines } = capturedLog()
    expect(chooseWsEngine('auto', log, absent)).toEqual({ name: 'ws', options: {} })
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines).toMatchObject([{ level: 30, wsEngine: 'ws', requested: 'auto', reason: "Cannot find module 'eiows'" }])
  })

  it('an explicit eiows that cannot load falls back to ws with a warning', async () => {
    const { log, lines } = capturedLog()
    expect(chooseWsEngine('eiows', log, () => ({}))).toEqual({ name: 'ws', options: {} })
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines).toMatchObject([{ level: 40, requested: 'eiows', reason: 'the eiows package has no Server export' }])
  })

  it('ws never tries to load eiows', () => {
    const { log } = capturedLog()
    expect(chooseWsEngine('ws', log, present)).toEqual({ name: 'ws', options: {} })
  })
})
