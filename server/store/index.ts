export * from './store.js'
export { DEFAULT_SQLITE_PATH, openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js'
