import { describe, expect, it } from 'vitest'
import { createBus } from './bus.js'
import { listenAll } from './modules/module.js'

describe('the domain bus', () => {
  it('delivers synchronously, in subscription order', () => {
    const bus = createBus()
    const seen: string[] = []
    bus.on('echo:message-sent', ({ text }) => seen.push(`first:${text}`))
    bus.on('echo:message-sent', ({ text }) => seen.push(`second:${text}`))
    bus.emit('echo:message-sent', { text: 'hi' })
    expect(seen).toEqual(['first:hi', 'second:hi'])
  })

  it('lets a module unsubscribe everything it subscribed', () => {
    const bus = createBus()
    const seen: string[] = []
    const module = listenAll(bus, {
      'echo:message-sent': ({ text }) => seen.push(text),
      'topic:subscribed': ({ topic }) => seen.push(topic),
    })
    bus.emit('echo:message-sent', { text: 'a' })
    module.dispose()
    bus.emit('echo:message-sent', { text: 'b' })
    bus.emit('topic:subscribed', { socketId: 's', topic: 't' })
    expect(seen).toEqual(['a'])
    expect(bus.eventNames()).toEqual([])
  })

})
