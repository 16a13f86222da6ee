/**
 * Limits that both sides must agree on: the server enforces them, the components show them.
 * Kept in one place so a form's counter never disagrees with the hub's refusal.
 */
export const LIMITS = {
  /** Longest chat message, in UTF-16 code units (what `<input maxlength>` counts). */
  chatMessageLength: 2000,
  /** Longest display name accepted by `join` or the handshake. */
  usernameLength: 40,
  /** Longest user id (a token's `sub`, a `POST /notify` `user`): emails, URNs, provider ids. */
  userIdLength: 255,
  /** Longest room or topic name. */
  channelNameLength: 64,
  /** Notification fields, as documented for `POST /notify`. */
  notificationTitleLength: 200,
  notificationBodyLength: 2000,
  notificationDataBytes: 4096,
  /** Largest `POST /notify` body. */
  notifyBodyBytes: 64 * 1024,
  /** Topics one handshake may subscribe to at once. */
  handshakeTopics: 50,
} as const

/** The room that clients which never name one (the tutorial's) are in. */
export const DEFAULT_ROOM = 'general'
