import type { Member, Membership, MembershipChange } from './membership.js'

/**
 * Membership kept in this process's memory: right for a single hub process.
 *
 * @example
 * const membership = createMemoryMembership()
 * await membership.add('hub', { key: 'id:ann', username: 'ann' }, socket.id) // { changed: true, count: 1, … }
 */
export function createMemoryMembership(): Membership {
  // group -> member key -> that member's name and connections there
  const groups = new Map<string, Map<string, { username: string; sockets: Set<string> }>>()

  return {
    async add(group, { key, username }: Member, socketId): Promise<MembershipChange> {
      let members = groups.get(group)
      if (!members) groups.set(group, (members = new Map()))
      const member = members.get(key)
      if (member) {
        member.sockets.add(socketId)
        return { changed: false, count: members.size, username: member.username }
      }
      members.set(key, { username, sockets: new Set([socketId]) })
      return { changed: true, count: members.size, username }
    },
    async remove(group, key, socketId) {
      const members = groups.get(group)
      const member = members?.get(key)
      if (!members || !member?.sockets.delete(socketId)) return undefined
      if (member.sockets.size > 0) return { changed: false, count: members.size, username: member.username }
      members.delete(key)
      if (members.size === 0) groups.delete(group)
      return { changed: true, count: members.size, username: member.username }
    },
    count: async (group) => groups.get(group)?.size ?? 0,
    names: async (group) => [...(groups.get(group)?.values() ?? [])].map((member) => member.username),
    groups: async () => [...groups].map(([group, members]) => ({ group, count: members.size })),
  }
}
