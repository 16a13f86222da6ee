/** A chat message as delivered in the `chat-message` event. */
export interface ChatMessage {
  /** Sortable, unique id. */
  id: string
  room: string
  username: string
  message: string
  /** ISO 8601, UTC. */
  timestamp: string
}

/** Hub-wide presence change, the tutorial's `user-joined` / `user-left` payload. */
export interface PresenceChange {
  username: string
  /** Distinct users online on the hub after this change. */
  userCount: number
}

/** Sent to each new connection so counters are right before the first change arrives. */
export interface PresenceSnapshot {
  userCount: number
}

/** Someone entered or left a chat room; sent to that room's members. */
export interface RoomMemberChange {
  room: string
  username: string
  /** Distinct users in the room after this change. */
  memberCount: number
}
