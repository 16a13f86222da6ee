// Type-level tests, checked by `npm run typecheck`: each `@ts-expect-error` fails the check when
// the line below it compiles, i.e. when the bus stops rejecting a wrong payload.
import { createBus } from './bus.js'

export function wrongPayloadsDoNotCompile(bus: ReturnType<typeof createBus>): void {
  // @ts-expect-error: 'text' must be a string
  bus.emit('echo:message-sent', { text: 42 })
  // @ts-expect-error: no such domain event
  bus.emit('chat:message-deleted', {})
  // @ts-expect-error: a listener's payload is the event's
  bus.on('echo:message-sent', ({ room }: { room: string }) => room)
}
