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
  // Version 2: ids from store sequences assigned at commit (INTEGER PRIMARY KEY AUTOINCREMENT,
  // never reused even after pruning empties a table) instead of clock-made text ids. Existing
  // rows are renumbered in their old id order, and every reference follows its row.
  `
  CREATE TEMP TABLE renumbered_notifications AS
    SELECT id AS old_id, row_number() OVER (ORDER BY id) AS seq FROM notifications;
  CREATE TEMP TABLE renumbered_chat AS
    SELECT id AS old_id, row_number() OVER (ORDER BY id) AS seq FROM chat_messages;

  CREATE TABLE notifications_v2 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    level        TEXT NOT NULL,
    timestamp    TEXT NOT NULL,
    topic        TEXT,
    user         TEXT,
    data         TEXT,
    published_at INTEGER NOT NULL,
    audience     TEXT NOT NULL CHECK (audience = CASE WHEN user IS NOT NULL THEN 'u:' || user
                                                      WHEN topic IS NOT NULL THEN 't:' || topic
                                                      ELSE '*' END)
  );
  INSERT INTO notifications_v2 (id, title, body, level, timestamp, topic, user, data, published_at, audience)
    SELECT r.seq, n.title, n.body, n.level, n.timestamp, n.topic, n.user, n.data, n.published_at, n.audience
    FROM notifications n JOIN renumbered_notifications r ON r.old_id = n.id ORDER BY r.seq;

  CREATE TABLE idempotency_keys_v2 (
    scope           TEXT NOT NULL,
    key             TEXT NOT NULL,
    notification_id INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
  ) WITHOUT ROWID;
  INSERT INTO idempotency_keys_v2 (scope, key, notification_id, created_at)
    SELECT k.scope, k.key, r.seq, k.created_at
    FROM idempotency_keys k JOIN renumbered_notifications r ON r.old_id = k.notification_id;

  CREATE TABLE inbox_watermarks_v2 (
    user           TEXT PRIMARY KEY,
    read_up_to_id  INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO inbox_watermarks_v2 (user, read_up_to_id)
    SELECT w.user, coalesce((SELECT max(r.seq) FROM renumbered_notifications r WHERE r.old_id <= w.read_up_to_id), 0)
    FROM inbox_watermarks w;

  CREATE TABLE notification_reads_v2 (
    user            TEXT NOT NULL,
    notification_id INTEGER NOT NULL REFERENCES notifications_v2 (id) ON DELETE CASCADE,
    PRIMARY KEY (user, notification_id)
  ) WITHOUT ROWID;
  INSERT INTO notification_reads_v2 (user, notification_id)
    SELECT x.user, r.seq FROM notification_reads x JOIN renumbered_notifications r ON r.old_id = x.notification_id;

  CREATE TABLE chat_messages_v2 (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    room      TEXT NOT NULL,
    username  TEXT NOT NULL,
    message   TEXT NOT NULL,
    timestamp TEXT NOT NULL
  );
  INSERT INTO chat_messages_v2 (id, room, username, message, timestamp)
    SELECT r.seq, c.room, c.username, c.message, c.timestamp
    FROM chat_messages c JOIN renumbered_chat r ON r.old_id = c.id ORDER BY r.seq;

  DROP TABLE notification_reads;
  DROP TABLE inbox_watermarks;
  DROP TABLE idempotency_keys;
  DROP TABLE notifications;
  DROP TABLE chat_messages;
  DROP TABLE renumbered_notifications;
  DROP TABLE renumbered_chat;

  ALTER TABLE notifications_v2 RENAME TO notifications;
  ALTER TABLE idempotency_keys_v2 RENAME TO idempotency_keys;
  ALTER TABLE inbox_watermarks_v2 RENAME TO inbox_watermarks;
  ALTER TABLE notification_reads_v2 RENAME TO notification_reads;
  ALTER TABLE chat_messages_v2 RENAME TO chat_messages;

  CREATE INDEX notifications_by_audience ON notifications (audience, id);
  CREATE INDEX notifications_by_age ON notifications (published_at);
  CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
  CREATE INDEX notification_reads_by_notification ON notification_reads (notification_id);
  CREATE INDEX chat_messages_by_room ON chat_messages (room, id);

  -- A new database starts its sequences at its creation time in microseconds, not at 1, so its
  -- ids sort above any id an earlier database could have handed out: a client holding a cursor
  -- from a database that was replaced gets the new one's items instead of having them skipped
  -- as already seen. (A renumbered database keeps numbering on from its rows.) The renames above
  -- left a row per table here already; it is replaced, not added to.
  DELETE FROM sqlite_sequence WHERE name = 'notifications' AND NOT EXISTS (SELECT 1 FROM notifications);
  DELETE FROM sqlite_sequence WHERE name = 'chat_messages' AND NOT EXISTS (SELECT 1 FROM chat_messages);
  INSERT INTO sqlite_sequence (name, seq)
    SELECT 'notifications', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
    WHERE NOT EXISTS (SELECT 1 FROM notifications);
  INSERT INTO sqlite_sequence (name, seq)
    SELECT 'chat_messages', CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)
    WHERE NOT EXISTS (SELECT 1 FROM chat_messages);
  -- Where each seeded sequence started: nothing at or below it was ever committed.
  CREATE TABLE sequence_starts (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO sequence_starts (name, seq)
    SELECT name, seq FROM sqlite_sequence
    WHERE (name = 'notifications' AND NOT EXISTS (SELECT 1 FROM notifications))
       OR (name = 'chat_messages' AND NOT EXISTS (SELECT 1 FROM chat_messages));
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
