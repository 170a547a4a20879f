/**
 * Which database the Node build runs on: PostgreSQL when DATABASE_URL says so (many instances, one database),
 * otherwise the embedded SQLite file under DATA_DIR (one machine).
 */
import type { Kysely } from "kysely";
import { transactionalAtomic, type StoreDb } from "../storage/atomic.js";
import type { Database } from "../storage/schema.js";
import { openPostgres, POSTGRES_MAX_PARAMETERS } from "./postgres.js";
import { openSqlite, SQLITE_MAX_PARAMETERS, sqliteFile } from "./sqlite.js";

export interface OpenDatabase extends StoreDb {
  /** For logs: never the URL, which may carry a password. */
  description: string;
  close(): Promise<void>;
}

export function openDatabase(o: { databaseUrl?: string; dataDir: string }): OpenDatabase {
  let db: Kysely<Database>;
  let description: string;
  let maxParameters: number;
  if (o.databaseUrl) {
    db = openPostgres(o.databaseUrl);
    const url = new URL(o.databaseUrl);
    description = `PostgreSQL: ${url.hostname}:${url.port || 5432}${url.pathname}`;
    maxParameters = POSTGRES_MAX_PARAMETERS;
  } else {
    const file = sqliteFile(o.dataDir);
    db = openSqlite(file);
    description = `SQLite: ${file}`;
    maxParameters = SQLITE_MAX_PARAMETERS;
  }
  return { db, atomic: transactionalAtomic(db), maxParameters, description, close: () => db.destroy() };
}
