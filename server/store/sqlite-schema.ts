import type { Database } from 'better-sqlite3'
import type { Logger } from '../logger.js'

/**
 * Schema changes, in order; entry `i` takes the database from version `i` to `i + 1`
 * (`PRAGMA user_version`). Append new entries, never edit shipped ones: databases in the field
 * have already run them.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    level        TEXT NOT NULL,
    timestamp    TEXT NOT NULL,
    topic        TEXT,
    user         TEXT,
    data         TEXT,              -- JSON object, or NULL when absent
    published_at INTEGER NOT NULL,  -- epoch ms of timestamp, for retention
    -- One indexable value per target ('*', 't:<topic>' or 'u:<user>'), so a recipient's
    -- notifications are a few index range scans, whatever mix of targets they follow. A plain
    -- column rather than a generated one, because SQLite never answers from an index alone when
    -- a generated column is involved; the CHECK keeps it in step with topic and user.
    audience     TEXT NOT NULL CHECK (audience = CASE WHEN user IS NOT NULL THEN 'u:' || user
                                                      WHEN topic IS NOT NULL THEN 't:' || topic
                                                      ELSE '*' END)
  ) WITHOUT ROWID;
  CREATE INDEX notifications_by_audience ON notifications (audience, id);
  CREATE INDEX notifications_by_age ON notifications (published_at);

  CREATE TABLE idempotency_keys (
    scope           TEXT NOT NULL,
    key             TEXT NOT NULL,
    notification_id TEXT NOT NULL,
    created_at      INTEGER NOT NULL,  -- epoch ms
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

  CREATE TABLE topic_follows (
    user  TEXT NOT NULL,
    topic TEXT NOT NULL,
    PRIMARY KEY (user, topic)
  ) WITHOUT ROWID;

  -- Read state is a watermark (everything up to an id, set by "mark all read") plus
  -- the single notifications read above it.
  CREATE TABLE inbox_watermarks (
    user           TEXT PRIMARY KEY,
    read_up_to_id  TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE notification_reads (
    user            TEXT NOT NULL,
    notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    PRIMARY KEY (user, notification_id)
  ) WITHOUT ROWID;
  CREATE INDEX notification_reads_by_notification ON notification_reads (notification_id);

  CREATE TABLE chat_messages (
    id        TEXT PRIMARY KEY,
    room      TEXT NOT NULL,
    username  TEXT NOT NULL,
    message   TEXT NOT NULL,
    timestamp TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX chat_messages_by_room ON chat_messages (room, id);
  `,
  `
  -- Where each user's inbox starts: broadcasts and topic notifications up to this id were
  -- published before the user's first connection and count as read. Notifications addressed
  -- to the user are theirs whenever they were sent.
  CREATE TABLE inbox_starts (
    user      TEXT PRIMARY KEY,
    after_id  TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Brings the database to `SCHEMA_VERSION`, one transaction per migration so a crash leaves it at
 * a whole version. Refuses a database written by a newer release rather than misreading it.
 *
 * @example
 * migrate(new Database('data/tidings.db'))
 */
export function migrate(db: Database, log?: Logger): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > SCHEMA_VERSION) {
    throw new Error(`the database schema is version ${current}, newer than this release's ${SCHEMA_VERSION}`)
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '')
      db.pragma(`user_version = ${version + 1}`)
    }).immediate()
    log?.info({ schemaVersion: version + 1 }, 'store schema migrated')
  }
}
