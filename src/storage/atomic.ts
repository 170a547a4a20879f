/**
 * The storage seam for writes that touch several rows. Cloudflare D1 has no interactive transactions, so a store never
 * holds one open while application code runs: it compiles every statement first and hands the whole list to
 * `atomic`, which applies all of them or none. Each runtime supplies the implementation for its database (D1:
 * `batch()`; SQLite and PostgreSQL: one transaction over the compiled statements, nothing run in between).
 */
import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import type { Database } from "./schema.js";
import { yieldToEventLoop } from "../lib/yield.js";

/** Runs the statements in order as one unit: every one of them, or (on any error) none. */
export type Atomic = (queries: readonly CompiledQuery[]) => Promise<QueryResult<unknown>[]>;

/** What every kysely store is built on. */
export interface StoreDb {
  db: Kysely<Database>;
  atomic: Atomic;
  /** The dialect's limit on bound parameters per statement (D1: 100), which bounds rows per multi-row INSERT. */
  maxParameters: number;
}

/**
 * `atomic` for drivers that have transactions (better-sqlite3, pg): a transaction that only replays the compiled
 * statements, so it behaves exactly like a D1 batch and holds its locks for no longer than the statements take.
 */
export function transactionalAtomic(db: Kysely<any>): Atomic {
  return (queries) =>
    queries.length === 1
      ? db.executeQuery(queries[0]!).then((r) => [r])
      : db.transaction().execute(async (trx) => {
          const results: QueryResult<unknown>[] = [];
          for (const [i, q] of queries.entries()) {
            // Issue 17: a long list (a 50,000-member import) gives the event loop back between statements, so other
            // requests are answered meanwhile; better-sqlite3 runs each statement synchronously.
            if (i > 0 && queries.length > 4) await yieldToEventLoop();
            results.push(await trx.executeQuery(q));
          }
          return results;
        });
}

/** Rows per multi-row INSERT that keep a statement within the dialect's parameter limit. */
export function rowsPerInsert(store: Pick<StoreDb, "maxParameters">, columns: number): number {
  return Math.max(1, Math.floor(store.maxParameters / columns));
}

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
