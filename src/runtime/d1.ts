/**
 * Cloudflare D1 under kysely: a tiny dialect (SQLite's compiler and adapter, D1's prepared statements) and the
 * `atomic` seam as a D1 `batch()`, which D1 runs as one transaction. D1 has no interactive transactions, so
 * `db.transaction()` fails loudly here instead of silently running statements one by one.
 */
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from "kysely";
import type { Atomic } from "../storage/atomic.js";
import { refuseNulParameters, translateDriverError, translatingDriverErrors } from "../storage/errors.js";
import type { Database } from "../storage/schema.js";

/** The part of Workers' `D1Database` binding used here (declared locally to keep Workers' global types out). */
export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<D1Result[]>;
}
export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all(): Promise<D1Result>;
}
export interface D1Result {
  results?: Record<string, unknown>[];
  meta?: { changes?: number; last_row_id?: number };
}

/** D1 allows 100 bound parameters per statement. */
export const D1_MAX_PARAMETERS = 100;

const toResult = <R>(r: D1Result, isWrite: boolean): QueryResult<R> => ({
  rows: (r.results ?? []) as R[],
  ...(isWrite ? { numAffectedRows: BigInt(r.meta?.changes ?? 0) } : {}),
});

const isWrite = (q: CompiledQuery) => q.query.kind !== "SelectQueryNode" && q.query.kind !== "RawNode";

const prepare = (d1: D1Database, q: CompiledQuery) => d1.prepare(q.sql).bind(...q.parameters);

class D1Connection implements DatabaseConnection {
  constructor(private readonly d1: D1Database) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return toResult<R>(await prepare(this.d1, q).all(), isWrite(q));
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("D1 does not stream query results.");
  }
}

class D1Driver implements Driver {
  private readonly connection: D1Connection;
  constructor(d1: D1Database) {
    this.connection = new D1Connection(d1);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error("D1 has no interactive transactions: write several rows through the store's atomic batch.");
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

export function openD1(d1: D1Database): Kysely<Database> {
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new D1Driver(d1),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return new Kysely<Database>({ dialect: translatingDriverErrors(dialect, isD1UniqueViolation) });
}

/** All statements in one D1 batch: D1 applies them as one transaction, or none of them. */
export function d1Atomic(d1: D1Database): Atomic {
  return async (queries) => {
    if (queries.length === 0) return [];
    // A batch bypasses the wrapped connection: the same refusal of NUL parameters as every other statement.
    queries.forEach(refuseNulParameters);
    const results = await d1.batch(queries.map((q) => prepare(d1, q))).catch((e: unknown) => {
      throw translateDriverError(e, isD1UniqueViolation);
    });
    return results.map((r, i) => toResult(r, isWrite(queries[i]!)));
  };
}

/** D1 reports SQLite's constraint errors only in the message ("D1_ERROR: UNIQUE constraint failed: …"). */
export const isD1UniqueViolation = (e: unknown): boolean => e instanceof Error && /UNIQUE constraint failed/.test(e.message);
