/**
 * Rate limits shared by every instance on one database (issue 17; migration 0024): one upsert counts the request and
 * returns the window's count, so concurrent requests on a pool serialise on the row and exactly `limit` of them pass.
 * Windows an hour past are deleted now and then by whichever instance counts.
 */
import { sql, type Kysely } from "kysely";
import { decide, fixedWindow, type RateDecision, type RateLimit, type RateLimitClass, type RateLimiter } from "../domain/rate-limit.js";
import type { StoreDb } from "./atomic.js";
import type { Database } from "./schema.js";

interface RateLimitDatabase extends Database {
  rate_limit_hits: { key: string; window_start: number; hits: number };
}

const PRUNE_EVERY = 1_000;
const KEEP_MS = 3_600_000;

export class KyselyRateLimiter implements RateLimiter {
  private readonly db: Kysely<RateLimitDatabase>;
  private counted = 0;

  constructor(store: StoreDb) {
    this.db = store.db as unknown as Kysely<RateLimitDatabase>;
  }

  async consume(cls: RateLimitClass, address: string, limit: RateLimit, nowMs: number): Promise<RateDecision> {
    const key = `${cls}:${address}`;
    const { start } = fixedWindow(nowMs, limit.windowSeconds);
    const row = await this.db
      .insertInto("rate_limit_hits")
      .values({ key: key.slice(0, 200), window_start: start, hits: 1 })
      .onConflict((oc) => oc.columns(["key", "window_start"]).doUpdateSet({ hits: sql<number>`rate_limit_hits.hits + 1` }))
      .returning("hits")
      .executeTakeFirstOrThrow();
    if (++this.counted % PRUNE_EVERY === 0) await this.db.deleteFrom("rate_limit_hits").where("window_start", "<", start - Math.max(KEEP_MS, 2 * limit.windowSeconds * 1000)).execute();
    return decide(Number(row.hits), limit, nowMs);
  }
}
