/** Recognises a unique-constraint violation across drivers (SQLite, D1: message; PostgreSQL: SQLSTATE 23505). */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const err = e as { code?: unknown; message?: unknown };
  if (err.code === "23505" || err.code === "SQLITE_CONSTRAINT_UNIQUE" || err.code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  return typeof err.message === "string" && /UNIQUE constraint failed|duplicate key value/i.test(err.message);
}
