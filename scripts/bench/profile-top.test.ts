import { describe, expect, it } from 'vitest'
import { busyMicros, packageOf, selfTimes } from './profile-top.js'

// A three-frame profile: program root → a package function → a project function, plus idle.
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 })
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', '') },
    { id: 2, callFrame: frame('encodeAsString', 'file:///app/node_modules/socket.io-parser/build/cjs/index.js') },
    { id: 3, callFrame: frame('appendChatMessage', 'file:///app/dist/server/store/sqlite-store.js') },
    { id: 4, callFrame: frame('(idle)', '') },
  ],
  startTime: 0,
  endTime: 1000,
  samples: [2, 3, 2, 4, 2],
  timeDeltas: [100, 200, 100, 500, 100],
}

describe('profile self times', () => {
  it('charges each sample to the frame that was running, biggest first', () => {
    const rows = selfTimes(profile, 'function')
    expect(rows.map((r) => [r.name.split(' ')[0], r.micros])).toEqual([
      ['(idle)', 500],
      ['encodeAsString', 300],
      ['appendChatMessage', 200],
    ])
    expect(busyMicros(rows)).toBe(500)
  })

  it('groups by package, Node built-in or project folder', () => {
    expect(selfTimes(profile, 'package').map((r) => r.name)).toEqual(['(idle)', 'socket.io-parser', 'tidings dist/server/'])
    expect(packageOf(frame('emit', 'node:events'))).toBe('node: built-ins')
    expect(packageOf(frame('x', 'file:///a/node_modules/@socket.io/component-emitter/lib/index.js'))).toBe('@socket.io/component-emitter')
    expect(packageOf(frame('(garbage collector)', ''))).toBe('(garbage collector)')
  })
})
