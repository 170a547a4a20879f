/**
 * Frozen: issue 17 — the hash-chained audit log (src/domain/audit.ts, docs/audit.md). `seq` is the chain position and
 * the primary key: two writers that chained onto the same head collide on it and one of them retries. `once_key` is
 * set for acts that happen at most once to a subject (a withdrawal, a revocation), so a second, concurrent attempt
 * fails in the same batch instead of logging an act that changed nothing. `audit_checkpoints` holds the signed heads.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_entries")
    .addColumn("seq", "integer", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor_role", "text", (c) => c.notNull())
    .addColumn("actor_key_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("bar_id", "text")
    .addColumn("subjects", "text", (c) => c.notNull())
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull().unique())
    .addColumn("once_key", "text", (c) => c.unique())
    .execute();
  await db.schema.createIndex("audit_entries_bar").on("audit_entries").columns(["bar_id", "seq"]).execute();
  await db.schema
    .createTable("audit_checkpoints")
    .addColumn("seq", "integer", (c) => c.primaryKey())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("jws", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_checkpoints").execute();
  await db.schema.dropTable("audit_entries").execute();
}
