/**
 * The SQLite result code (`SQLITE_FULL`, `SQLITE_BUSY`…) of a better-sqlite3 error, or null for
 * any other value. Read by shape rather than `instanceof Database.SqliteError` (or even `Error`):
 * the native addon keeps the SqliteError class of the first copy of the module loaded in the
 * process, so where several copies or realms are loaded (jest's module registries and sandboxes)
 * `instanceof` misses the errors it throws.
 */
export const sqliteErrorCode = (error: unknown): string | null => {
  if (typeof error !== 'object' || error === null) return null;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' ? code : null;
};
