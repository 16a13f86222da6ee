/**
 * Who is connected where, counted by distinct user: the hub's presence (group `hub`) and each
 * chat room's members (group `room:<name>`). Modules see membership only through this
 * interface, so a cluster-wide implementation (Redis, say) can replace the memory one without
 * touching a module. Asynchronous for that reason; calls made in order resolve in order.
 */
export interface Membership {
  /**
   * Connection `socketId` of `member` entered `group`. `changed`: it is the member's first
   * connection there (others should be told); `count`: distinct members there now.
   */
  add(group: string, member: Member, socketId: string): Promise<MembershipChange>
  /**
   * Connection `socketId` of the member keyed `key` left `group`. `changed`: it was the
   * member's last connection there. Undefined when that connection was not there.
   */
  remove(group: string, key: string, socketId: string): Promise<MembershipChange | undefined>
  /** Distinct members of `group` now. */
  count(group: string): Promise<number>
  /** Display names of `group`'s members. */
  names(group: string): Promise<string[]>
  /** Groups with at least one member, and their distinct member counts. */
  groups(): Promise<{ group: string; count: number }[]>
}

/** A user as membership tells them apart (`key`) and shows them (`username`). */
export interface Member {
  key: string
  username: string
}

export interface MembershipChange {
  changed: boolean
  count: number
  /** The member's display name (as given when they entered). */
  username: string
}

/** The group of everyone connected to the hub. */
export const HUB_GROUP = 'hub'
/** The group of a chat room's members. */
export const roomGroup = (room: string): string => `room:${room}`
