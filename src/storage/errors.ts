/**
 * Driver errors the stores act on, in one typed form. Each runtime's database file knows how its driver reports a
 * broken unique constraint (PostgreSQL's SQLSTATE 23505, better-sqlite3's `SQLITE_CONSTRAINT_*` codes, D1's message)
 * and wraps its dialect with `translatingDriverErrors`, so that the stores only ever see `UniqueViolation` and stay
 * free of dialect knowledge.
 */
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from "kysely";
import { keyedError } from "../domain/errors.js";
import { STORAGE_DETAIL_TEMPLATES } from "../domain/store-details.js";

/** A write was refused because a unique key (primary key or unique index) already holds the value. */
export class UniqueViolation extends Error {
  constructor(cause: unknown) {
    super("A unique constraint was violated.", { cause });
    this.name = "UniqueViolation";
  }
}

export const isUniqueViolation = (e: unknown): e is UniqueViolation => e instanceof UniqueViolation;

/**
 * No text parameter may hold a NUL character (U+0000): PostgreSQL refuses one ("invalid byte sequence for encoding
 * UTF8: 0x00", which surfaced as a 500), SQLite and D1 would store it. So it is refused the same way on every dialect,
 * as the caller's 400, before the statement runs. The HTTP layer refuses NULs in request bodies first
 * (src/http/hygiene.ts); this catches values decoded from inside one (a vc+jwt's header, a file's contents).
 */
export function refuseNulParameters(query: CompiledQuery): void {
  for (const p of query.parameters) {
    if (typeof p === "string" && p.includes("\u0000")) throw keyedError("invalid_request", STORAGE_DETAIL_TEMPLATES, "storage-nul-character");
  }
}

/** A runtime's test for "this driver error is a unique-constraint violation". */
export type UniqueViolationTest = (driverError: unknown) => boolean;

/** Rethrows the driver's unique-constraint errors as `UniqueViolation`; every other error passes unchanged. */
export function translateDriverError(e: unknown, isUnique: UniqueViolationTest): unknown {
  return !isUniqueViolation(e) && isUnique(e) ? new UniqueViolation(e) : e;
}

/** The dialect, with every query error translated (statements, and transactions replayed by `atomic`). */
export function translatingDriverErrors(dialect: Dialect, isUnique: UniqueViolationTest): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), isUnique),
  };
}

/** The driver hands out wrapped connections and unwraps them whenever one comes back to it. */
class TranslatingDriver implements Driver {
  private readonly inner = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly driver: Driver,
    private readonly isUnique: UniqueViolationTest,
  ) {}

  init = () => this.driver.init();
  destroy = () => this.driver.destroy();

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.driver.acquireConnection();
    const isUnique = this.isUnique;
    const wrapped: DatabaseConnection = {
      async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        refuseNulParameters(query);
        try {
          return await connection.executeQuery<R>(query);
        } catch (e) {
          throw translateDriverError(e, isUnique);
        }
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => connection.streamQuery<R>(query, chunkSize),
    };
    this.inner.set(wrapped, connection);
    return wrapped;
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.inner.get(connection) ?? connection;
  }

  beginTransaction = (c: DatabaseConnection, settings: TransactionSettings) => this.driver.beginTransaction(this.unwrap(c), settings);
  commitTransaction = (c: DatabaseConnection) => this.driver.commitTransaction(this.unwrap(c));
  rollbackTransaction = (c: DatabaseConnection) => this.driver.rollbackTransaction(this.unwrap(c));
  releaseConnection = async (c: DatabaseConnection) => {
    await this.driver.releaseConnection(this.unwrap(c));
    this.inner.delete(c);
  };
}
