/**
 * Frozen: issue 16 — a provider's logo for the header of its printable certificates: at most one per party, its
 * bytes as base64 text (one column type that SQLite, PostgreSQL and D1 all store and return alike), with its SHA-256.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("party_logos")
    .addColumn("party_id", "text", (c) => c.primaryKey())
    .addColumn("media_type", "text", (c) => c.notNull())
    .addColumn("bytes", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("party_logos").execute();
}
