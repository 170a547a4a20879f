/**
 * Frozen: issue 17 — rate limits shared by every instance on one database (PostgreSQL; D1 when no Rate Limiting
 * binding is declared): one row per (class and client address, window), counted by one upsert.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rate_limit_hits")
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rate_limit_hits_pk", ["key", "window_start"])
    .execute();
  await db.schema.createIndex("rate_limit_hits_window").on("rate_limit_hits").column("window_start").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rate_limit_hits").execute();
}
