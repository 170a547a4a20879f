import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { translatingDriverErrors } from "../storage/errors.js";
import type { Database } from "../storage/schema.js";

/** The embedded default: one SQLite file under DATA_DIR, in WAL mode so readers never wait for the writer. */
export function openSqlite(file: string): Kysely<Database> {
  if (file !== ":memory:") mkdirSync(join(file, ".."), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Issue 18: a 64 MiB page cache (the default is 2 MiB): reports touch thousands of certificate rows scattered over a
  // file that grows by gigabytes over the years (bench/README.md, Scale: 40.7 → 9.3 ms for the analysis at 1M).
  sqlite.pragma("cache_size = -65536");
  // Statistics for the planner, as SQLite advises for long-lived connections: at open, then hourly. Without them it
  // started the year's analysis from every participant the bar ever had; with them, from the year's events
  // (bench/README.md, Scale: 177 → 22 ms at 1M certificates). Cheap when nothing has changed much.
  sqlite.pragma("optimize = 0x10002");
  const optimizing = setInterval(() => {
    if (sqlite.open) sqlite.pragma("optimize");
    else clearInterval(optimizing);
  }, 3_600_000);
  optimizing.unref();
  return new Kysely<Database>({ dialect: translatingDriverErrors(new SqliteDialect({ database: sqlite }), isSqliteUniqueViolation) });
}

/** better-sqlite3 names the broken constraint in `code`. */
export function isSqliteUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

export const sqliteFile = (dataDir: string) => join(dataDir, "senim.db");

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32. */
export const SQLITE_MAX_PARAMETERS = 32_766;
