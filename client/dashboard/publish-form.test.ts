import { describe, expect, it } from 'vitest'
import { notifyRequestOf } from './publish-form.js'

const form = (fields: Record<string, string>) => {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) data.set(name, value)
  return data
}

describe('notifyRequestOf', () => {
  it('sends to everyone without a target field, and leaves an empty body out', () => {
    expect(notifyRequestOf(form({ title: ' Deploy ', body: ' ', level: 'info', target: 'everyone', to: 'ignored' }))).toEqual({
      title: 'Deploy',
      level: 'info',
    })
  })

  it('names the topic or the user when one is given', () => {
    expect(notifyRequestOf(form({ title: 'x', level: 'error', target: 'topic', to: 'ci' }))).toEqual({ title: 'x', level: 'error', topic: 'ci' })
    expect(notifyRequestOf(form({ title: 'x', body: 'b', level: 'success', target: 'user', to: 'ada' }))).toEqual({
      title: 'x',
      body: 'b',
      level: 'success',
      user: 'ada',
    })
    expect(notifyRequestOf(form({ title: 'x', level: 'info', target: 'user', to: '' }))).toEqual({ title: 'x', level: 'info' })
  })
})
