import { Kysely, PostgresDialect, type LogConfig } from "kysely";
import pg from "pg";
import { translatingDriverErrors } from "../storage/errors.js";
import type { Database } from "../storage/schema.js";

/** int8 (`count(*)`, `bigint` columns) as a JS number, as SQLite and D1 return it; Senim's counters stay far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * A PostgreSQL pool for one Node instance; many instances share the database, never the pool. `log`: kysely's query
 * log (the scale bench reads every statement's time through it).
 */
export function openPostgres(url: string, options: { maxConnections?: number; log?: LogConfig } = {}): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  // An idle client losing its connection (a database restart) must not crash the process; the pool replaces it.
  pool.on("error", (err) => console.error("PostgreSQL pool:", err.message));
  // Issue 18: the planner's default random_page_cost (4) models spinning disks, and with it the reports' member reads
  // scanned every participant ever stored instead of the year's through their indexes (at 1M certificates
  // issuedToMembers 208 → 54 ms, foundationsBefore 227 → 46 ms, bench/README.md). 1.1 is the usual value for SSD and
  // cloud storage. Set per connection, before the pool hands it out (pg runs a client's queries in order).
  pool.on("connect", (client) => {
    client.query("SET random_page_cost = 1.1").catch((err: Error) => console.error("PostgreSQL session setting:", err.message));
  });
  return new Kysely<Database>({ dialect: translatingDriverErrors(new PostgresDialect({ pool }), isPostgresUniqueViolation), ...(options.log ? { log: options.log } : {}) });
}

/** SQLSTATE 23505: unique_violation. */
export const isPostgresUniqueViolation = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === "23505";

/** PostgreSQL's wire protocol counts bound parameters in 16 bits. */
export const POSTGRES_MAX_PARAMETERS = 65_535;
