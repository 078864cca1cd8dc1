/**
 * The SQLite result code (`SQLITE_FULL`, `SQLITE_BUSY`…) of a better-sqlite3 error, or null for
 * any other error. Read by name rather than `instanceof Database.SqliteError`: the native addon
 * keeps the SqliteError class of the first copy of the module loaded in the process, so where
 * several copies are loaded (jest's module registries) `instanceof` misses errors it throws.
 */
export const sqliteErrorCode = (error: unknown): string | null => {
  if (!(error instanceof Error) || error.name !== 'SqliteError') return null;
  const { code } = error as Error & { code?: unknown };
  return typeof code === 'string' ? code : null;
};
